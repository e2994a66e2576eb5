package autostart

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/windows/registry"
)

// On Windows start at login is the user's Run key, as the installer writes it, and Windows' own
// switch for it: StartupApproved, which Task Manager's Startup tab and Settings turn, a 12-byte
// value whose first byte is odd when the entry is off. Turning it off sets that switch and leaves
// the Run value, so an upgrade, which writes the Run value again, keeps it off.
const (
	runKey      = `Software\Microsoft\Windows\CurrentVersion\Run`
	approvedKey = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
)

func (a Autostart) name() string { return cmp.Or(a.Name, "Tokentray") }

func (a Autostart) enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	_, _, err = k.GetStringValue(a.name())
	k.Close()
	if err != nil {
		return false
	}
	k, err = registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.QUERY_VALUE)
	if err != nil {
		return true
	}
	defer k.Close()
	v, _, err := k.GetBinaryValue(a.name())
	return err != nil || len(v) == 0 || v[0]&1 == 0
}

func (a Autostart) enable() error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("could not turn on start at login: %w", err)
	}
	err = k.SetStringValue(a.name(), `"`+a.Exec+`"`)
	k.Close()
	if err != nil {
		return fmt.Errorf("could not turn on start at login: %w", err)
	}
	if k, err := registry.OpenKey(registry.CURRENT_USER, approvedKey, registry.SET_VALUE); err == nil {
		defer k.Close()
		if err := k.DeleteValue(a.name()); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("could not turn on start at login: %w", err)
		}
	}
	return nil
}

func (a Autostart) disable() error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, approvedKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("could not turn off start at login: %w", err)
	}
	defer k.Close()
	v := make([]byte, 12) // 3: off, by the user; then when, as a FILETIME
	v[0] = 3
	binary.LittleEndian.PutUint64(v[4:], uint64(time.Now().UnixNano()/100+116444736000000000)) // 100 ns since 1601
	if err := k.SetBinaryValue(a.name(), v); err != nil {
		return fmt.Errorf("could not turn off start at login: %w", err)
	}
	return nil
}
