package ipc

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// Peer is the process at the other end of a Unix socket, as the kernel tells it.
type Peer struct {
	UID int
	PID int // 0 where the system does not say
}

// PeerOf asks the kernel who is at the other end of c (LOCAL_PEERCRED, as getpeereid does, and
// LOCAL_PEERPID).
func PeerOf(c syscall.Conn) (Peer, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return Peer{UID: -1}, err
	}
	var cred *unix.Xucred
	var pid int
	var serr error
	if err := raw.Control(func(fd uintptr) {
		if cred, serr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED); serr == nil {
			pid, _ = unix.GetsockoptInt(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERPID)
		}
	}); err != nil {
		return Peer{UID: -1}, err
	}
	if serr != nil {
		return Peer{UID: -1}, serr
	}
	return Peer{UID: int(cred.Uid), PID: pid}, nil
}
