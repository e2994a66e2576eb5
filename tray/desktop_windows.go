package tray

import (
	"errors"
	"os"
	"syscall"
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

// fill copies s into dst as UTF-16, cut to fit with its terminating zero.
func fill(dst []uint16, s string) {
	u := windows.StringToUTF16(s)
	if len(u) > len(dst) {
		u = append(u[:len(dst)-2], '…', 0)
	}
	copy(dst, u)
}

// trayWindow finds the tray icon's hidden window among this process's windows.
func trayWindow() windows.HWND {
	var found windows.HWND
	cb := syscall.NewCallback(func(h windows.HWND, _ uintptr) uintptr {
		var pid uint32
		if _, err := windows.GetWindowThreadProcessId(h, &pid); err != nil || pid != uint32(os.Getpid()) {
			return 1 // go on
		}
		name := make([]uint16, 64)
		if n, err := windows.GetClassName(h, &name[0], int32(len(name))); err == nil && windows.UTF16ToString(name[:n]) == systrayClass {
			found = h
			return 0
		}
		return 1
	})
	_ = windows.EnumWindows(cb, nil)
	return found
}
