/* bcryptprimitives.dll for Wine before 9, which has none: Go 1.22 and later call ProcessPrng
   at start. tests/testenv/wine.go builds it with mingw-w64 into each test prefix's system32. */
#include <windows.h>

/* advapi32!SystemFunction036 == RtlGenRandom */
BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

BOOL WINAPI ProcessPrng(PBYTE pbData, SIZE_T cbData)
{
    while (cbData > 0) {
        ULONG n = cbData > 0x10000000 ? 0x10000000 : (ULONG)cbData;
        if (!SystemFunction036(pbData, n))
            return FALSE;
        pbData += n;
        cbData -= n;
    }
    return TRUE; /* documented to always return TRUE */
}

BOOL WINAPI DllMain(HINSTANCE h, DWORD reason, LPVOID r) { return TRUE; }
