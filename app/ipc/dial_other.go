//go:build !linux && !windows

package ipc

import (
	"net"
	"os"
	"syscall"
	"time"
)

// dial connects to the app's socket at path once its folder and the listening process are
// checked: the folder must be this user's alone, the process this user's. deadline (zero: none)
// holds for the connect.
func dial(path string, deadline time.Time) (lineConn, error) {
	if err := checkSocketDir(path); err != nil {
		return nil, err
	}
	d := net.Dialer{Deadline: deadline}
	conn, err := d.Dial("unix", path)
	if err != nil {
		return nil, ErrNotRunning
	}
	if p, err := PeerOf(conn.(syscall.Conn)); err != nil || p.UID != os.Getuid() {
		conn.Close()
		return nil, notYours(path, p.UID)
	}
	return conn, nil
}
