package ipc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// dial connects to the app's socket at path once its folder and the listening process are
// checked: the folder must be this user's alone, the process this user's. It works through
// blocking system calls on the socket itself rather than Go's poller: a command that asks one
// thing and exits needs no more, and the poller costs it an epoll instance and a thread woken
// for each read (make bench: a tenth of `tokentray token`); the accounts window gives its
// subscription a thread of its own. deadline (zero: none) holds for the connect, and for what
// follows unless SetDeadline changes it.
func dial(path string, deadline time.Time) (lineConn, error) {
	if err := checkSocketDir(path); err != nil {
		return nil, err
	}
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("could not make a socket: %w", err)
	}
	c := &blockingConn{fd: fd, deadline: deadline}
	// a connect blocks while the app's backlog is full: for as long as a write may
	if err := c.timeout(syscall.SO_SNDTIMEO); err != nil {
		c.Close()
		return nil, err
	}
	if err := retry(func() error { return syscall.Connect(fd, &syscall.SockaddrUnix{Name: path}) }); err != nil {
		c.Close()
		return nil, ErrNotRunning
	}
	cred, err := syscall.GetsockoptUcred(fd, syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	if err != nil || int(cred.Uid) != os.Getuid() {
		c.Close()
		uid := -1
		if err == nil {
			uid = int(cred.Uid)
		}
		return nil, notYours(path, uid)
	}
	return c, nil
}

// blockingConn is a connected Unix socket read and written with blocking system calls, its
// deadline kept with SO_RCVTIMEO and SO_SNDTIMEO.
type blockingConn struct {
	fd       int
	deadline time.Time
}

func (c *blockingConn) SetDeadline(t time.Time) error {
	c.deadline = t
	return nil
}

// timeout sets the socket option opt to the time left until the deadline.
func (c *blockingConn) timeout(opt int) error {
	var tv syscall.Timeval // zero: no limit
	if !c.deadline.IsZero() {
		left := time.Until(c.deadline)
		if left <= 0 {
			return os.ErrDeadlineExceeded
		}
		tv = syscall.NsecToTimeval(max(left, time.Microsecond).Nanoseconds())
	}
	return syscall.SetsockoptTimeval(c.fd, syscall.SOL_SOCKET, opt, &tv)
}

func (c *blockingConn) Read(b []byte) (int, error) {
	var n int
	var err error = syscall.EINTR
	for errors.Is(err, syscall.EINTR) { // a signal ends a read with a timeout: the time left, again
		if err := c.timeout(syscall.SO_RCVTIMEO); err != nil {
			return 0, err
		}
		n, err = syscall.Read(c.fd, b)
	}
	switch {
	case errors.Is(err, syscall.EAGAIN):
		return 0, os.ErrDeadlineExceeded
	case err != nil:
		return 0, err
	case n == 0 && len(b) > 0:
		return 0, io.EOF
	}
	return n, nil
}

func (c *blockingConn) Write(b []byte) (int, error) {
	if err := c.timeout(syscall.SO_SNDTIMEO); err != nil {
		return 0, err
	}
	done := 0
	for done < len(b) {
		var n int
		err := retry(func() (err error) { n, err = syscall.Write(c.fd, b[done:]); return err })
		switch {
		case errors.Is(err, syscall.EAGAIN):
			return done, os.ErrDeadlineExceeded
		case err != nil:
			return done, err
		}
		done += n
	}
	return done, nil
}

func (c *blockingConn) Close() error { return syscall.Close(c.fd) }

// retry calls f again while a signal interrupts it.
func retry(f func() error) error {
	for {
		if err := f(); !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
