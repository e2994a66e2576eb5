//go:build !linux

package ipc

import "context"

// dialCommand connects a command to the app's socket at path: Dial.
func dialCommand(ctx context.Context, path string) (lineConn, error) { return Dial(ctx, path) }
