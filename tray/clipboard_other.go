//go:build !linux

package tray

import "github.com/atotto/clipboard"

// SystemClipboard is the desktop's clipboard: atotto/clipboard (a small, well-kept library that
// needs no GUI toolkit: the Win32 clipboard API on Windows, pbcopy and pbpaste on macOS).
func SystemClipboard() Clipboard { return atotto{} }

type atotto struct{}

func (atotto) Set(s string) error   { return clipboard.WriteAll(s) }
func (atotto) Get() (string, error) { return clipboard.ReadAll() }
