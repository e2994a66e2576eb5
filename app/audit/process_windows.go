package audit

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// ProgramOf is the program pid runs, as Windows says (QueryFullProcessImageName). It is read while
// the asker waits for its credential: the process, and its pid, go when the asker exits.
func ProgramOf(pid int) string {
	p, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(p)
	b := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(b))
	if windows.QueryFullProcessImageName(p, 0, &b[0], &n) != nil {
		return ""
	}
	return windows.UTF16ToString(b[:n])
}

// ParentOf is the program of pid's parent, from a snapshot of the processes (Windows keeps a
// process's parent id, not a link to it: the parent may have gone and its id been reused, so a
// parent that started after its child is not reported).
func ParentOf(pid int) string {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(snap)
	e := windows.ProcessEntry32{Size: uint32(unsafe.Sizeof(windows.ProcessEntry32{}))}
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		if e.ProcessID == uint32(pid) {
			if e.ParentProcessID == 0 || !startedBefore(e.ParentProcessID, uint32(pid)) {
				return ""
			}
			return ProgramOf(int(e.ParentProcessID))
		}
	}
	return ""
}

// startedBefore reports whether process parent started before process child.
func startedBefore(parent, child uint32) bool {
	pt, ok1 := started(parent)
	ct, ok2 := started(child)
	return ok1 && ok2 && pt <= ct
}

func started(pid uint32) (int64, bool) {
	p, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return 0, false
	}
	defer windows.CloseHandle(p)
	var created, exited, kernel, user windows.Filetime
	if windows.GetProcessTimes(p, &created, &exited, &kernel, &user) != nil {
		return 0, false
	}
	return created.Nanoseconds(), true
}
