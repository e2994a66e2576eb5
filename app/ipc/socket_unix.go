//go:build !windows

package ipc

import "path/filepath"

// socketIn is the app's socket in the runtime folder dir.
func socketIn(dir string) string { return filepath.Join(dir, "tokentray.sock") }
