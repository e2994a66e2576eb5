package ipc

import (
	"syscall"
)

// Peer is the process at the other end of a Unix socket, as the kernel tells it.
type Peer struct {
	UID int
	PID int // 0 where the system does not say
}

// PeerOf asks the kernel who is at the other end of c (SO_PEERCRED).
func PeerOf(c syscall.Conn) (Peer, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return Peer{UID: -1}, err
	}
	var cred *syscall.Ucred
	var serr error
	if err := raw.Control(func(fd uintptr) {
		cred, serr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return Peer{UID: -1}, err
	}
	if serr != nil {
		return Peer{UID: -1}, serr
	}
	return Peer{UID: int(cred.Uid), PID: int(cred.Pid)}, nil
}
