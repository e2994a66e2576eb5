//go:build !windows

package ipc

import "path/filepath"

// SocketIn is the app's socket in the runtime folder dir (SocketPath: the runtime folder's).
func SocketIn(dir string) string { return filepath.Join(dir, "tokentray.sock") }
