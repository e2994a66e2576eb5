package server

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"

	"tokentray/app/ipc"
	"tokentray/app/ipc/jsoncodec"
)

// ErrAlreadyRunning means another Tokentray answers on the socket: the single-instance check.
var ErrAlreadyRunning = errors.New("Tokentray is already running")

// Handler answers one request from peer; the app (Core.Answer) and tests provide it. send writes a
// line before the answer (progress, a subscription's snapshots) and fails once the client is gone.
// It returns the answer and what is left for after the answer is sent (nil: nothing), which the
// server runs then.
type Handler func(ctx context.Context, req ipc.Request, peer ipc.Peer, send func(ipc.Response) error) (ipc.Response, func())

// QuickHandler answers a request on the thread that accepted it when it can without waiting for
// anything (Core.AnswerNow): ok false, and Handle answers it on a goroutine of its own.
type QuickHandler func(req ipc.Request, peer ipc.Peer) (resp ipc.Response, after func(), ok bool)

// SocketServer serves the app's socket. Each connection gets its own goroutine, a size limit and a
// deadline, so a malformed, oversized or slow request costs only itself; a process may hold at most
// PerPeer connections at once, and a failed Accept (no file descriptors left, say) is retried
// with backoff: the server stops only when its listener is closed. On Linux, the listener of
// ListenSocket answers the everyday request itself first (serveQuick).
type SocketServer struct {
	Handle      Handler
	Quick       QuickHandler                     // nil: every request goes to Handle
	Peer        func(net.Conn) (ipc.Peer, error) // default peerOf; tests fake another user
	User        int                              // whose requests are answered; default os.Getuid()
	ReadTimeout time.Duration                    // for the request line; default 5 s
	PerPeer     int                              // connections one process may hold at once; default 8
	Codec       ipc.Codec                        // the lines beyond the everyday ones; default encoding/json

	mu    sync.Mutex
	conns map[int]int // open connections per peer pid
}

// Serve accepts connections until ln is closed.
func (s *SocketServer) Serve(ln net.Listener) error {
	quick := s.Peer == nil && s.Quick != nil // a fake peer is seen through a net.Conn only
	if s.Peer == nil {
		s.Peer = peerOf
	}
	s.User = cmp.Or(s.User, os.Getuid())
	s.ReadTimeout = cmp.Or(s.ReadTimeout, 5*time.Second)
	s.PerPeer = cmp.Or(s.PerPeer, 8)
	if s.Codec == nil {
		s.Codec = jsoncodec.Codec{}
	}
	s.conns = map[int]int{}
	if quick {
		if served, err := s.serveQuick(ln); served {
			return err
		}
	}
	var wait backoff
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			wait.after(err)
			continue
		}
		wait = 0
		go s.serveConn(c, nil, nil)
	}
}

// watchHangup: the server reads a connection for its end while it answers. Not on Windows: a pipe
// in blocking mode runs one operation at a time, and a read waiting there would hold up every
// line the answer writes; there the server asks the pipe now and then whether the client is gone
// (ipc.PipeConn.Gone).
const watchHangup = runtime.GOOS != "windows"

// hangupPoll is how often the server asks a pipe whether its client is gone.
const hangupPoll = 500 * time.Millisecond

// backoff is how long a failed Accept waits before the next: it doubles, from 5 ms to 1 s.
type backoff time.Duration

func (b *backoff) after(err error) {
	*b = backoff(min(max(2*time.Duration(*b), 5*time.Millisecond), time.Second))
	slog.Warn("socket: could not accept a connection; trying again", "in", time.Duration(*b).String(), "err", err)
	time.Sleep(time.Duration(*b))
}

// serveConn answers the connection c, whose request begins with read (bytes taken from it
// already). A peer given is checked and counted (enter) already.
func (s *SocketServer) serveConn(c net.Conn, read []byte, known *ipc.Peer) {
	defer c.Close()
	var writeMu sync.Mutex
	send := func(r ipc.Response) error {
		r.V = ipc.Version
		b := r.Encode(s.Codec)
		writeMu.Lock()
		defer writeMu.Unlock()
		_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, err := c.Write(append(b, '\n'))
		return err
	}
	reply := func(r ipc.Response) { _ = send(r) }
	var peer ipc.Peer
	if known != nil {
		peer = *known
	} else {
		var err error
		peer, err = s.Peer(c)
		if err != nil || peer.UID != s.User {
			slog.Warn("socket: refused a connection from another user", "uid", peer.UID, "err", err)
			reply(ipc.Response{Error: "refused: you are not the user running Tokentray", Code: ipc.ExitFailure})
			return
		}
		if !s.enter(peer.PID) {
			reply(ipc.Response{Error: fmt.Sprintf("refused: this process already has %d connections open", s.PerPeer), Code: ipc.ExitFailure})
			return
		}
	}
	defer s.leave(peer.PID)
	_ = c.SetReadDeadline(time.Now().Add(s.ReadTimeout))
	line, err := bufio.NewReader(io.LimitReader(io.MultiReader(bytes.NewReader(read), c), ipc.MaxRequest+1)).ReadBytes('\n')
	switch {
	case len(line) > ipc.MaxRequest:
		reply(ipc.Response{Error: fmt.Sprintf("request larger than %d bytes", ipc.MaxRequest), Code: ipc.ExitUsage})
		return
	case err != nil:
		reply(ipc.Response{Error: "incomplete request", Code: ipc.ExitUsage})
		return
	}
	req, err := ipc.DecodeRequest(line, s.Codec)
	if err != nil {
		reply(ipc.Response{Error: "malformed request: " + err.Error(), Code: ipc.ExitUsage})
		return
	}
	if req.V != ipc.Version {
		reply(ipc.Response{Error: fmt.Sprintf("protocol version %d is not %d: the command and the app are different versions", req.V, ipc.Version), Code: ipc.ExitUsage})
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	timeout := req.Op.Timeout()
	var ctx context.Context
	var cancel context.CancelFunc
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(context.Background(), timeout)
	} else { // a subscription: as long as its client stays
		ctx, cancel = context.WithCancel(context.Background())
	}
	defer cancel()
	// the client hanging up ends what it asked for (a sign-in, a subscription)
	if watchHangup {
		go func() {
			_, _ = io.Copy(io.Discard, c)
			cancel()
		}()
	} else if g, ok := c.(interface{ Gone() bool }); ok {
		go func() {
			t := time.NewTicker(hangupPoll)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					if g.Gone() {
						cancel()
						return
					}
				}
			}
		}()
	}
	resp, after := s.Handle(ctx, req, peer, send)
	reply(resp)
	if after != nil {
		after() // what the answer need not wait for (the record of a hand-out), once it is sent
	}
}

// peerOf is who is at the other end of c, as the kernel says (ipc.PeerOf).
func peerOf(c net.Conn) (ipc.Peer, error) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return ipc.Peer{UID: -1}, errors.New("not a socket")
	}
	return ipc.PeerOf(sc)
}

// enter counts a connection of the process pid, unless it holds PerPeer already. Where the
// system does not say the peer's pid (0), connections are not counted: they would all share one
// bound, and the ninth command at once would be refused.
func (s *SocketServer) enter(pid int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pid == 0 {
		return true
	}
	if s.conns[pid] >= s.PerPeer {
		return false
	}
	s.conns[pid]++
	return true
}

func (s *SocketServer) leave(pid int) {
	if pid == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[pid]--; s.conns[pid] <= 0 {
		delete(s.conns, pid)
	}
}
