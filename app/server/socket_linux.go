package server

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"tokentray/app/ipc"
)

// quickWait is how long the accepting thread waits for a request line: a command sends it as it
// connects. A request slower than that is read on a goroutine of its own.
const quickWait = 20 * time.Millisecond

// quickListener is the app's socket on Linux: a listening socket in blocking mode, so that a
// thread of its own waits in accept(2) and answers `tokentray token` there, start to end, with
// blocking system calls. No poller, no goroutine started and no other thread woken stand
// between the command and its credential: that was a third of what `tokentray token` took
// (make bench). Whatever may wait (a renewal, a sign-in, a subscription) and whatever is unusual
// (another user, a slow or malformed request) goes to serveConn on a goroutine of its own.
type quickListener struct {
	path string

	mu        sync.Mutex
	fd        int
	closed    bool
	accepting int // accept(2)s using fd: Close leaves closing it to the last of them
}

func listen(path string) (net.Listener, error) {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	if err := syscall.Listen(fd, syscall.SOMAXCONN); err != nil {
		syscall.Close(fd)
		os.Remove(path)
		return nil, err
	}
	return &quickListener{path: path, fd: fd}, nil
}

// acceptFD waits for a connection and returns it, in blocking mode; net.ErrClosed once the
// listener is closed.
func (l *quickListener) acceptFD() (int, error) {
	for {
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			return -1, net.ErrClosed
		}
		l.accepting++
		l.mu.Unlock()
		c, _, err := syscall.Accept4(l.fd, syscall.SOCK_CLOEXEC)
		l.mu.Lock()
		l.accepting--
		closed := l.closed
		if closed {
			if err == nil {
				syscall.Close(c)
			}
			if l.accepting == 0 {
				syscall.Close(l.fd)
			}
		}
		l.mu.Unlock()
		switch {
		case closed:
			return -1, net.ErrClosed
		case errors.Is(err, syscall.EINTR), errors.Is(err, syscall.ECONNABORTED):
			continue // a signal, or a client gone before it was taken
		}
		return c, err
	}
}

// Accept is net.Listener's: a connection in Go's poller.
func (l *quickListener) Accept() (net.Conn, error) {
	fd, err := l.acceptFD()
	if err != nil {
		return nil, err
	}
	return fileConn(fd)
}

// Close removes the socket and ends a waiting accept(2): shutdown(2) makes it fail.
func (l *quickListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return net.ErrClosed
	}
	l.closed = true
	_ = os.Remove(l.path)
	if l.accepting > 0 {
		return syscall.Shutdown(l.fd, syscall.SHUT_RDWR)
	}
	return syscall.Close(l.fd)
}

func (l *quickListener) Addr() net.Addr { return &net.UnixAddr{Name: l.path, Net: "unix"} }

// fileConn is the connection fd in Go's poller (net.FileConn makes its own descriptor).
func fileConn(fd int) (net.Conn, error) {
	f := os.NewFile(uintptr(fd), "")
	defer f.Close()
	return net.FileConn(f)
}

// serveQuick serves ln on this thread, when it is ListenSocket's.
func (s *SocketServer) serveQuick(ln net.Listener) (bool, error) {
	l, ok := ln.(*quickListener)
	if !ok {
		return false, nil
	}
	runtime.LockOSThread() // the thread that waits in accept(2) is the one that answers
	defer runtime.UnlockOSThread()
	var wait backoff
	buf := make([]byte, 4096)
	for {
		fd, err := l.acceptFD()
		if errors.Is(err, net.ErrClosed) {
			return true, nil
		}
		if err != nil {
			wait.after(err)
			continue
		}
		wait = 0
		s.answerQuick(l, fd, buf)
	}
}

// answerQuick answers the connection fd here when it is this user's and asks, in one line sent
// at once, what can be answered without waiting (a credential in hand); anything else goes to
// serveConn, with what was read.
func (s *SocketServer) answerQuick(l *quickListener, fd int, buf []byte) {
	cred, err := syscall.GetsockoptUcred(fd, syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	if err != nil {
		s.handOff(fd, nil, nil) // refused there, and logged
		return
	}
	peer := ipc.Peer{UID: int(cred.Uid), PID: int(cred.Pid)}
	if peer.UID != s.User || !s.enter(peer.PID) {
		s.handOff(fd, nil, nil) // refused there, and logged
		return
	}
	line, whole := readLine(l.fd, fd, buf)
	if !whole {
		s.handOff(fd, line, &peer)
		return
	}
	req, err := ipc.DecodeRequest(line, s.Codec)
	if err != nil || req.V != ipc.Version || req.Op != ipc.OpToken {
		s.handOff(fd, line, &peer)
		return
	}
	r, after, ok := s.Quick(req, peer)
	if !ok {
		s.handOff(fd, line, &peer)
		return
	}
	defer s.leave(peer.PID)
	r.V = ipc.Version
	b := r.Encode(s.Codec)
	if err := writeAll(fd, append(b, '\n')); err != nil {
		slog.Debug("socket: could not answer", "err", err)
	}
	syscall.Close(fd)
	after() // what is left of the record of a hand-out, kept short
}

// handOff serves fd on a goroutine of its own (serveConn), its request beginning with read, its
// peer (if given) checked and counted already.
func (s *SocketServer) handOff(fd int, read []byte, peer *ipc.Peer) {
	c, err := fileConn(fd)
	if err != nil {
		slog.Warn("socket: could not serve a connection", "err", err)
		if peer != nil {
			s.leave(peer.PID)
		}
		return
	}
	go s.serveConn(c, bytes.Clone(read), peer)
}

// readLine reads from fd into buf until a newline ends what it sent, for up to quickWait, and only
// while no other connection waits at the listener lfd: a client that sends nothing, or a byte at a
// time, holds this thread no longer than until the next one comes (make bench measures `token`
// beside 500 idle connections and a client sending a byte a second). whole reports a line that
// ends there; otherwise line is what came (nothing more, a longer or a slow request, the client gone).
func readLine(lfd, fd int, buf []byte) (line []byte, whole bool) {
	// The request has usually come by the time this thread is awake: then nothing waits.
	n, _, err := syscall.Recvfrom(fd, buf, syscall.MSG_DONTWAIT)
	if err == nil && n > 0 && buf[n-1] == '\n' {
		return buf[:n], true
	}
	if err != nil && !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EINTR) || err == nil && n == 0 {
		return nil, false // the client gone
	}
	n = max(n, 0)
	deadline := time.Now().Add(quickWait)
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(lfd), Events: unix.POLLIN}}
	for n < len(buf) {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		fds[0].Revents, fds[1].Revents = 0, 0
		k, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil || k == 0 || fds[0].Revents == 0 {
			break // the time is up, or another connection waits: this one is read on a goroutine
		}
		m, _, err := syscall.Recvfrom(fd, buf[n:], syscall.MSG_DONTWAIT)
		if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil || m <= 0 {
			break
		}
		n += m
		if buf[n-1] == '\n' {
			return buf[:n], true
		}
	}
	return buf[:n], false
}

// writeAll writes b to fd, giving up after a second: an answer fits in the socket's buffer.
func writeAll(fd int, b []byte) error {
	// at once when the socket's buffer takes it all, as it takes an answer: no time limit to set
	n, err := syscall.SendmsgN(fd, b, nil, nil, syscall.MSG_DONTWAIT|syscall.MSG_NOSIGNAL)
	if err == nil && n == len(b) {
		return nil
	}
	if err != nil && !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EINTR) {
		return err
	}
	b = b[max(n, 0):]
	tv := syscall.NsecToTimeval(time.Second.Nanoseconds())
	if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_SNDTIMEO, &tv); err != nil {
		return err
	}
	for len(b) > 0 {
		n, err := syscall.Write(fd, b)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}
