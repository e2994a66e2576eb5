package tray

import (
	"errors"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// NewDesktop returns notifications shown from the tray icon itself (Shell_NotifyIcon with
// NIF_INFO), as a tray program does on Windows: Windows 10 and 11 show them as toasts under the
// program's name, older Windows and Wine as a balloon at the icon. No PowerShell runs and no second
// icon appears (beeep's ways). A click on one does nothing.
func NewDesktop(appID string, open func()) Desktop { return balloons{} }

type balloons struct{}

// fyne.io/systray's icon: the hidden window of class SystrayClass that it makes in this process,
// and the id it gives the icon (systray_windows.go, initInstance).
const (
	systrayClass  = "SystrayClass"
	systrayIconID = 100
)

var procShellNotifyIcon = windows.NewLazySystemDLL("shell32.dll").NewProc("Shell_NotifyIconW")

func (balloons) Notify(title, body string) error {
	hwnd := trayWindow()
	if hwnd == 0 {
		return errors.New("there is no tray icon to show it from")
	}
	const nimModify, nifInfo, niifInfo = 1, 0x10, 1
	nid := notifyIconData{Wnd: windows.Handle(hwnd), ID: systrayIconID, Flags: nifInfo, InfoFlags: niifInfo}
	nid.Size = uint32(unsafe.Sizeof(nid))
	fill(nid.InfoTitle[:], title)
	fill(nid.Info[:], body)
	if r, _, err := procShellNotifyIcon.Call(nimModify, uintptr(unsafe.Pointer(&nid))); r == 0 {
		return err
	}
	return nil
}

// notifyIconData is NOTIFYICONDATAW, 976 bytes (uTimeout and uVersion are a union: one field).
type notifyIconData struct {
	Size                       uint32
	Wnd                        windows.Handle
	ID, Flags, CallbackMessage uint32
	Icon                       windows.Handle
	Tip                        [128]uint16
	State, StateMask           uint32
	Info                       [256]uint16
	TimeoutOrVersion           uint32
	InfoTitle                  [64]uint16
	InfoFlags                  uint32
	GuidItem                   windows.GUID
	BalloonIcon                windows.Handle
}

// fill copies s into dst as UTF-16, cut to fit with its terminating zero (never inside a pair).
func fill(dst []uint16, s string) {
	u := windows.StringToUTF16(s)
	if len(u) > len(dst) {
		u = u[:len(dst)-2]
		if last := u[len(u)-1]; last >= 0xD800 && last < 0xDC00 { // the first of a surrogate pair
			u = u[:len(u)-1]
		}
		u = append(u, '…', 0)
	}
	copy(dst, u)
}

var (
	procFindWindowEx = windows.NewLazySystemDLL("user32.dll").NewProc("FindWindowExW")
	trayHWND         windows.HWND // found once: the icon's window lives as long as the app
	trayMu           sync.Mutex
)

// trayWindow finds the tray icon's hidden window among this process's windows of its class.
func trayWindow() windows.HWND {
	trayMu.Lock()
	defer trayMu.Unlock()
	if trayHWND != 0 {
		return trayHWND
	}
	class, _ := windows.UTF16PtrFromString(systrayClass)
	var h uintptr
	for {
		h, _, _ = procFindWindowEx.Call(0, h, uintptr(unsafe.Pointer(class)), 0)
		if h == 0 {
			return 0
		}
		var pid uint32
		if _, err := windows.GetWindowThreadProcessId(windows.HWND(h), &pid); err == nil && pid == uint32(os.Getpid()) {
			trayHWND = windows.HWND(h)
			return trayHWND
		}
	}
}
