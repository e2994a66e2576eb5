package server

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"tokentray/auth/peer"

	"golang.org/x/sys/windows"

	"tokentray/app/ipc"
)

// ListenSocket listens on the app's named pipe at path (ipc.SocketPath): its security descriptor
// grants this user alone, remote clients are refused, and each client's user is checked again
// (ipc.PeerOf). The single-instance check is a named mutex of the user's session: a second app
// finds it held and gets ErrAlreadyRunning, then asks the first through the pipe to come forward.
// A pipe of the same name that another program made first is refused in words (real Windows
// refuses FILE_FLAG_FIRST_PIPE_INSTANCE then; Wine, where the Windows build is tested, does not).
func ListenSocket(path string) (net.Listener, error) {
	mutexName, err := windows.UTF16PtrFromString(`Local\` + filepath.Base(path))
	if err != nil {
		return nil, err
	}
	mutex, err := windows.CreateMutex(nil, false, mutexName)
	if errors.Is(err, windows.ERROR_ALREADY_EXISTS) {
		windows.CloseHandle(mutex)
		return nil, ErrAlreadyRunning
	}
	if err != nil {
		return nil, fmt.Errorf("could not make the single-instance mutex: %w", err)
	}
	sid, err := peer.UserSID()
	if err != nil {
		windows.CloseHandle(mutex)
		return nil, err
	}
	sd, err := windows.SecurityDescriptorFromString("D:P(A;;GA;;;" + sid + ")") // this user, nobody else
	if err != nil {
		windows.CloseHandle(mutex)
		return nil, err
	}
	name, _ := windows.UTF16PtrFromString(path)
	l := &pipeListener{path: path, name: name, mutex: mutex,
		sa: &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}}
	if l.next, err = l.create(true); err != nil {
		windows.CloseHandle(mutex)
		return nil, fmt.Errorf("could not listen on %s (another program may hold that pipe): %w", path, err)
	}
	return l, nil
}

// pipeListener accepts the app's pipe clients: one pipe instance waits for a client at any time,
// in blocking mode (go-winio's overlapped pipes hung under Wine).
type pipeListener struct {
	path  string
	name  *uint16
	sa    *windows.SecurityAttributes
	mutex windows.Handle

	mu     sync.Mutex
	next   windows.Handle // the instance a client connects to next
	closed bool
}

// create makes a pipe instance; first, the one that must be the pipe's first.
func (l *pipeListener) create(first bool) (windows.Handle, error) {
	flags := uint32(windows.PIPE_ACCESS_DUPLEX)
	if first {
		flags |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
	}
	return windows.CreateNamedPipe(l.name, flags, windows.PIPE_TYPE_BYTE|windows.PIPE_READMODE_BYTE|windows.PIPE_WAIT|windows.PIPE_REJECT_REMOTE_CLIENTS,
		windows.PIPE_UNLIMITED_INSTANCES, 64<<10, 64<<10, 0, l.sa)
}

// Accept waits for a client on the waiting instance and makes the next one before it returns.
func (l *pipeListener) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			return nil, net.ErrClosed
		}
		if l.next == 0 { // making the last one failed
			next, err := l.create(false)
			if err != nil {
				l.mu.Unlock()
				return nil, err // Serve tries again, with backoff
			}
			l.next = next
		}
		h := l.next
		l.mu.Unlock()

		err := windows.ConnectNamedPipe(h, nil)
		l.mu.Lock()
		if l.closed { // Close woke this wait, and closes h
			l.mu.Unlock()
			return nil, net.ErrClosed
		}
		switch {
		case errors.Is(err, windows.ERROR_NO_DATA): // a client that came and went: the instance waits again
			_ = windows.DisconnectNamedPipe(h)
			l.mu.Unlock()
			continue
		case err != nil && !errors.Is(err, windows.ERROR_PIPE_CONNECTED):
			_ = windows.DisconnectNamedPipe(h)
			l.mu.Unlock()
			return nil, err
		}
		l.next = 0
		if next, err := l.create(false); err == nil {
			l.next = next
		}
		l.mu.Unlock()
		return ipc.NewPipeConn(h), nil
	}
}

// Close stops accepting: a client of its own wakes the instance waiting in ConnectNamedPipe, and
// the instance is closed.
func (l *pipeListener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return net.ErrClosed
	}
	l.closed = true
	next := l.next
	l.next = 0
	l.mu.Unlock()
	if f, err := os.OpenFile(l.path, os.O_RDWR, 0); err == nil {
		f.Close()
	}
	if next != 0 {
		windows.CloseHandle(next)
	}
	return windows.CloseHandle(l.mutex)
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr(l.path) }

type pipeAddr string

func (pipeAddr) Network() string  { return "pipe" }
func (a pipeAddr) String() string { return string(a) }

// serveQuick is Linux's (socket_linux.go): elsewhere every connection gets a goroutine.
func (s *SocketServer) serveQuick(net.Listener) (bool, error) { return false, nil }
