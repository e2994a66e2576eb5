package ipc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// ErrNotRunning means no app answers on the socket.
var ErrNotRunning = errors.New("Tokentray is not running")

// ErrNotTrusted means something answers at the socket that is not this user's Tokentray.
var ErrNotTrusted = errors.New("refusing to talk to it")

// Caller asks the app over its socket. Before sending anything it checks that the socket's
// folder is this user's alone and that the process listening runs as this user: another user
// could otherwise pose as the app. The zero value asks the app at SocketPath about credentials.
type Caller struct {
	Socket string // default SocketPath()
	Codec  Codec  // for the lines beyond the everyday ones; nil: those are refused
}

// Call sends req to the app and returns its answer, handing each progress line the app sends
// before it to progress (may be nil). It gives up after timeout. The time limit is a deadline on
// the socket, not a context's timer: the first timer would start Go's poller in a command that
// needs none (make bench).
func (c Caller) Call(ctx context.Context, req Request, timeout time.Duration, progress func(*Response)) (*Response, error) {
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	path := c.Socket
	if path == "" {
		path = SocketPath()
	}
	if path == "" { // no runtime folder to find it in: the whole program says why
		return nil, ErrNotRunning
	}
	conn, err := dial(path, deadline)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return exchange(conn, req, c.Codec, deadline, func(r *Response) {
		if progress != nil {
			progress(r)
		}
	})
}

// Subscribe asks the app for its snapshots and hands each to on as it comes, until the app ends
// the subscription or goes. ctx's deadline bounds the connecting only.
func (c Caller) Subscribe(ctx context.Context, on func(*Response)) error {
	dl, _ := ctx.Deadline()
	conn, err := dial(c.Socket, dl)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = exchange(conn, Request{Op: OpSubscribe}, c.Codec, time.Time{}, on)
	return err
}

// checkSocketDir checks that the folder of the socket at path is this user's alone.
func checkSocketDir(path string) error {
	if err := CheckPrivate(filepath.Dir(path)); errors.Is(err, os.ErrNotExist) {
		return ErrNotRunning
	} else if err != nil {
		return fmt.Errorf("the socket folder %w; %w", err, ErrNotTrusted)
	}
	return nil
}

// notYours is why a socket whose listening process runs as user uid (-1: unknown) is refused.
func notYours(path string, uid int) error {
	return fmt.Errorf("the process at %s runs as user %d, not as you: %w", path, uid, ErrNotTrusted)
}

// lineConn is what exchange needs of a connection to the app.
type lineConn interface {
	io.ReadWriteCloser
	SetDeadline(time.Time) error
}

// exchange sends req on conn and reads the answer by the deadline (zero: none), handing every
// line before it (progress, a subscription's snapshots) to early.
func exchange(conn lineConn, req Request, codec Codec, deadline time.Time, early func(*Response)) (*Response, error) {
	req.V = Version
	_ = conn.SetDeadline(deadline)
	b, err := req.encode(codec)
	if err != nil {
		return nil, err
	}
	_, werr := conn.Write(append(b, '\n')) // the app may refuse and answer before reading: read anyway
	// 4 KiB: a longer line takes more reads, and a command touches fewer pages (make bench)
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			if werr != nil {
				return nil, fmt.Errorf("could not ask Tokentray: %w", werr)
			}
			if errors.Is(err, io.EOF) {
				return nil, errors.New("Tokentray ended before it answered (it was quit or stopped)")
			}
			return nil, fmt.Errorf("Tokentray did not answer: %w", err)
		}
		resp, err := decodeResponse(line, codec)
		if err != nil {
			return nil, fmt.Errorf("Tokentray answered something unreadable: %w", err)
		}
		if resp.Progress == "" && resp.Device == nil { // not progress: the answer
			return resp, nil
		}
		early(resp)
	}
}
