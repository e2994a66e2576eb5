package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"tokentray/app/ipc"
)

// ErrAlreadyRunning means another Tokentray answers on the socket: the single-instance check.
var ErrAlreadyRunning = errors.New("Tokentray is already running")

// ListenSocket listens on the socket at path, in a folder of mode 0700, the socket of mode 0600.
// A socket left by a crashed app (nobody answers) is removed first; one that answers means another
// Tokentray is running, and ErrAlreadyRunning is returned.
func ListenSocket(path string) (net.Listener, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("could not create %s: %w", dir, err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, fmt.Errorf("%s is open to other users and cannot be fixed: %w", dir, err)
		}
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, ErrAlreadyRunning
	}
	_ = os.Remove(path) // stale, from an app that died without closing it
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("could not listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// Handler answers one request; the app and tests provide it.
type Handler func(ctx context.Context, req ipc.Request) ipc.Response

// SocketServer serves the app's socket. Each connection gets its own goroutine, a size limit and a
// deadline, so a malformed, oversized or slow request costs only itself.
type SocketServer struct {
	Handle      Handler
	PeerUID     func(net.Conn) (int, error) // default: the kernel's answer; tests fake another user
	ReadTimeout time.Duration               // for the request line; default 5 s
	OpTimeout   func(op string) time.Duration
}

// Serve accepts connections until ln is closed.
func (s *SocketServer) Serve(ln net.Listener) error {
	if s.PeerUID == nil {
		s.PeerUID = peerUID
	}
	if s.ReadTimeout == 0 {
		s.ReadTimeout = 5 * time.Second
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go s.serveConn(c)
	}
}

func (s *SocketServer) serveConn(c net.Conn) {
	defer c.Close()
	reply := func(r ipc.Response) {
		r.V = ipc.Version
		b, _ := json.Marshal(r)
		_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, _ = c.Write(append(b, '\n'))
	}
	if uid, err := s.PeerUID(c); err != nil || uid != currentUID() {
		slog.Warn("socket: refused a connection from another user", "uid", uid, "err", err)
		reply(ipc.Response{Error: "refused: you are not the user running Tokentray", Code: ipc.ExitFailure})
		return
	}
	_ = c.SetReadDeadline(time.Now().Add(s.ReadTimeout))
	line, err := bufio.NewReader(io.LimitReader(c, ipc.MaxRequest+1)).ReadBytes('\n')
	switch {
	case len(line) > ipc.MaxRequest:
		reply(ipc.Response{Error: fmt.Sprintf("request larger than %d bytes", ipc.MaxRequest), Code: ipc.ExitUsage})
		return
	case err != nil:
		reply(ipc.Response{Error: "incomplete request", Code: ipc.ExitUsage})
		return
	}
	var req ipc.Request
	if err := json.Unmarshal(line, &req); err != nil {
		reply(ipc.Response{Error: "malformed request: " + err.Error(), Code: ipc.ExitUsage})
		return
	}
	if req.V != ipc.Version {
		reply(ipc.Response{Error: fmt.Sprintf("protocol version %d is not %d: the command and the app are different versions", req.V, ipc.Version), Code: ipc.ExitUsage})
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	timeout := 60 * time.Second
	if s.OpTimeout != nil {
		timeout = s.OpTimeout(req.Op)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	reply(s.Handle(ctx, req))
}

func currentUID() int { return os.Getuid() }
