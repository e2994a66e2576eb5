//go:build !linux && !darwin

package app

import "net"

// peerUID cannot ask the kernel here; on Windows the socket's folder in %LocalAppData% is the
// current user's alone, which is the check. It reports the current user.
func peerUID(net.Conn) (int, error) { return currentUID(), nil }
