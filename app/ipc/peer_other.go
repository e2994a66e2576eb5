//go:build !linux && !darwin && !windows

package ipc

import (
	"os"
	"syscall"
)

// Peer is the process at the other end of a Unix socket, as the kernel tells it.
type Peer struct {
	UID int
	PID int // 0 where the system does not say
}

// PeerOf cannot ask the kernel here; on Windows the socket's folder in %LocalAppData% is the
// current user's alone, which is the check. It reports the current user.
func PeerOf(syscall.Conn) (Peer, error) { return Peer{UID: os.Getuid()}, nil }
