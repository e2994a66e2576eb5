package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

func (a Autostart) enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	_, _, err = k.GetStringValue("Tokentray")
	return err == nil
}

func (a Autostart) enable() error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("could not turn on start at login: %w", err)
	}
	defer k.Close()
	return k.SetStringValue("Tokentray", `"`+a.Exec+`"`)
}

func (a Autostart) disable() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return nil
	}
	defer k.Close()
	if err := k.DeleteValue("Tokentray"); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("could not turn off start at login: %w", err)
	}
	return nil
}
