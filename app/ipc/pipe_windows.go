package ipc

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"tokentray/auth/peer"
)

// On Windows the app listens on a named pipe (Windows has no Unix sockets where Tokentray runs;
// Docker and tailscale talk over pipes too). Pipe names are the machine's, so the name is made of
// the user (SID), the logon session and the runtime folder (%LocalAppData%\Tokentray\run, or
// TOKENTRAY_RUNTIME_DIR): two users, the same user in two sessions (each with its own tray), or a
// test's app beside the real one never share one. A pipe's name is anyone's to take first, so, as
// with the socket, each end checks who is at the other: the command asks which process serves the
// pipe and refuses one of another user (dial); the app admits only its user, by the pipe's security
// descriptor, and checks each client's user again (PeerOf).

// SocketIn is the app's pipe for the runtime folder dir (SocketPath: the runtime folder's).
func SocketIn(dir string) string {
	sid, _ := peer.UserSID()
	var session uint32
	_ = windows.ProcessIdToSessionId(windows.GetCurrentProcessId(), &session)
	sum := sha256.Sum256([]byte(sid + "\x00" + strconv.FormatUint(uint64(session), 10) + "\x00" + strings.ToLower(filepath.Clean(dir))))
	return `\\.\pipe\tokentray-` + hex.EncodeToString(sum[:8])
}

// dial opens the app's pipe and checks that the process serving it runs as this user.
func dial(path string, deadline time.Time) (lineConn, error) {
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	var h windows.Handle
	for {
		// SECURITY_IDENTIFICATION: a server may learn who connects, never act as this user
		h, err = windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING,
			windows.SECURITY_SQOS_PRESENT|windows.SECURITY_IDENTIFICATION, 0)
		if !errors.Is(err, windows.ERROR_PIPE_BUSY) || !deadline.IsZero() && time.Now().After(deadline) {
			break
		}
		_ = waitNamedPipe(name, 50) // every instance busy: the app makes the next one
	}
	if err != nil {
		return nil, ErrNotRunning
	}
	var pid uint32
	if err := windows.GetNamedPipeServerProcessId(h, &pid); err != nil || !peer.SameUser(pid) {
		windows.CloseHandle(h)
		return nil, fmt.Errorf("the process at %s (pid %d) does not run as you: %w", path, pid, ErrNotTrusted)
	}
	c := NewPipeConn(h)
	_ = c.SetDeadline(deadline)
	return c, nil
}

var procWaitNamedPipe = windows.NewLazySystemDLL("kernel32.dll").NewProc("WaitNamedPipeW")

func waitNamedPipe(name *uint16, ms uint32) error {
	r, _, err := procWaitNamedPipe.Call(uintptr(unsafe.Pointer(name)), uintptr(ms))
	if r == 0 {
		return err
	}
	return nil
}

// PipeConn is one end of a connected pipe, in blocking mode (the overlapped pipes of go-winio hung
// under Wine, where the Windows build is tested). A blocking handle runs one operation at a time,
// so neither end reads and writes at once on it. A deadline is kept by a timer that cancels the
// operation it was set for (CancelIoEx), and no later one.
type PipeConn struct {
	h windows.Handle
	f *os.File

	mu     sync.Mutex
	rd, wd time.Time // the read and the write deadline
	op     uint64    // counts operations: a timer cancels only its own
	closed bool
}

// NewPipeConn wraps the pipe handle h; Close closes it.
func NewPipeConn(h windows.Handle) *PipeConn {
	return &PipeConn{h: h, f: os.NewFile(uintptr(h), "pipe")}
}

func (c *PipeConn) Read(b []byte) (int, error) {
	return c.withDeadline(&c.rd, func() (int, error) { return c.f.Read(b) })
}
func (c *PipeConn) Write(b []byte) (int, error) {
	return c.withDeadline(&c.wd, func() (int, error) { return c.f.Write(b) })
}

// withDeadline runs op, cancelling it if the deadline *d passes first.
func (c *PipeConn) withDeadline(d *time.Time, op func() (int, error)) (int, error) {
	c.mu.Lock()
	deadline := *d
	c.op++
	mine := c.op
	c.mu.Unlock()
	if deadline.IsZero() {
		return op()
	}
	left := time.Until(deadline)
	if left <= 0 {
		return 0, os.ErrDeadlineExceeded
	}
	t := time.AfterFunc(left, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.op == mine && !c.closed {
			_ = windows.CancelIoEx(c.h, nil)
		}
	})
	n, err := op()
	stopped := t.Stop()
	c.mu.Lock()
	c.op++ // a timer that fires now finds a later operation, or none, and leaves it be
	c.mu.Unlock()
	if !stopped && err != nil {
		return n, os.ErrDeadlineExceeded
	}
	return n, err
}

// Gone reports whether the other end has closed the pipe. It does not wait: the app asks it now
// and then while it answers, where a Unix socket's reader would see the end.
func (c *PipeConn) Gone() bool {
	var avail uint32
	r, _, err := procPeekNamedPipe.Call(uintptr(c.h), 0, 0, 0, uintptr(unsafe.Pointer(&avail)), 0)
	return r == 0 && (errors.Is(err, windows.ERROR_BROKEN_PIPE) || errors.Is(err, windows.ERROR_PIPE_NOT_CONNECTED) || errors.Is(err, windows.ERROR_NO_DATA))
}

var procPeekNamedPipe = windows.NewLazySystemDLL("kernel32.dll").NewProc("PeekNamedPipe")

func (c *PipeConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	return c.f.Close()
}

func (c *PipeConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.rd, c.wd = t, t
	c.mu.Unlock()
	return nil
}

func (c *PipeConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.rd = t
	c.mu.Unlock()
	return nil
}

func (c *PipeConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.wd = t
	c.mu.Unlock()
	return nil
}

// LocalAddr and RemoteAddr make a PipeConn a net.Conn, which the app's server takes.
func (c *PipeConn) LocalAddr() net.Addr  { return pipeAddr{} }
func (c *PipeConn) RemoteAddr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// Handle is the pipe's handle.
func (c *PipeConn) Handle() windows.Handle { return c.h }

// PeerOf is the process at the other end of c, a *PipeConn the app accepted: its pid, and its
// user as the uid space of Unix has it (os.Getuid() when it is this process's user, -2 when not).
func PeerOf(c syscall.Conn) (Peer, error) {
	pc, ok := c.(*PipeConn)
	if !ok {
		return Peer{UID: -2}, errors.New("not a pipe")
	}
	var pid uint32
	if err := windows.GetNamedPipeClientProcessId(pc.h, &pid); err != nil {
		return Peer{UID: -2}, err
	}
	uid := -2
	if peer.SameUser(pid) {
		uid = os.Getuid()
	}
	return Peer{UID: uid, PID: int(pid)}, nil
}

// SyscallConn makes a PipeConn a syscall.Conn, for PeerOf.
func (c *PipeConn) SyscallConn() (syscall.RawConn, error) { return c.f.SyscallConn() }

// Peer is the process at the other end of the app's pipe.
type Peer struct {
	UID int // os.Getuid() for this user, -2 for another
	PID int
}
