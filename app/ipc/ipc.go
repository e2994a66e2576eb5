// Package ipc is the protocol between `tokentray` commands and the running app: one JSON request
// line and one JSON response line over a Unix socket in the user's runtime dir. It imports nothing
// heavy, so the `tokentray token` fast path starts as quickly as a small Go program.
package ipc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Version is the protocol version; a request of another version gets an error, never a guess.
const Version = 1

// MaxRequest is the largest request line the app reads, in bytes.
const MaxRequest = 16 << 10

// Exit codes a script can branch on; responses carry them so every path exits the same way.
const (
	ExitOK             = 0
	ExitFailure        = 1
	ExitUsage          = 2
	ExitSignInRequired = 3
	ExitNoAccount      = 4
	ExitUnreachable    = 5 // the app is not running and there is no stored credential
)

// Request is what a command asks of the app.
type Request struct {
	V        int    `json:"v"`
	Op       string `json:"op"` // token, list, status, login, logout, reload, show
	Account  string `json:"account,omitempty"`
	MinValid string `json:"min_valid,omitempty"` // a Go duration; "" for the default
}

// Response is the app's answer.
type Response struct {
	V        int       `json:"v"`
	Error    string    `json:"error,omitempty"`
	Code     int       `json:"code,omitempty"` // the exit code for Error
	Token    *Token    `json:"token,omitempty"`
	Accounts []Account `json:"accounts,omitempty"`
}

// Token is a credential as printed by `tokentray token`.
type Token struct {
	Account  string    `json:"account"`
	Kind     string    `json:"kind"`  // "bearer" or "onsip-session"
	Value    string    `json:"token"` // the credential itself
	Type     string    `json:"type"`  // "Bearer"
	Expiry   time.Time `json:"expiry"`
	Scope    string    `json:"scope,omitempty"`
	Identity string    `json:"identity,omitempty"`
}

// Account is one account as `tokentray list` and `status` show it.
type Account struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Provider      string    `json:"provider"`
	State         string    `json:"state"`
	Expiry        time.Time `json:"expiry,omitzero"`
	RefreshExpiry time.Time `json:"refresh_expiry,omitzero"`
	Identity      string    `json:"identity,omitempty"`
	Error         string    `json:"error,omitempty"`
	SigningIn     bool      `json:"signing_in,omitempty"`
}

// ErrNotRunning means no app answers on the socket.
var ErrNotRunning = errors.New("Tokentray is not running")

// ErrNotTrusted means something answers at the socket that is not this user's Tokentray.
var ErrNotTrusted = errors.New("refusing to talk to it")

// Call sends req to the app and returns its answer. It gives up after timeout. Before sending
// anything it checks that the socket's folder is this user's alone and that the process
// listening runs as this user: another user could otherwise pose as the app.
func Call(ctx context.Context, req Request, timeout time.Duration) (*Response, error) {
	req.V = Version
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dir := RuntimeDir()
	if err := CheckPrivate(dir); errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotRunning
	} else if err != nil {
		return nil, fmt.Errorf("the socket folder %w; %w", err, ErrNotTrusted)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", filepath.Join(dir, "tokentray.sock"))
	if err != nil {
		return nil, ErrNotRunning
	}
	defer conn.Close()
	if p, err := PeerOf(conn); err != nil || p.UID != os.Getuid() {
		return nil, fmt.Errorf("the process at %s runs as user %d, not as you: %w", filepath.Join(dir, "tokentray.sock"), p.UID, ErrNotTrusted)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	b, _ := json.Marshal(req)
	_, werr := conn.Write(append(b, '\n')) // the app may refuse and answer before reading: read anyway
	line, err := bufio.NewReaderSize(conn, 64<<10).ReadBytes('\n')
	if err != nil {
		if werr != nil {
			return nil, fmt.Errorf("could not ask Tokentray: %w", werr)
		}
		return nil, fmt.Errorf("Tokentray did not answer: %w", err)
	}
	var resp Response
	if err := json.Unmarshal(line, &resp); err != nil {
		return nil, fmt.Errorf("Tokentray answered something unreadable: %w", err)
	}
	return &resp, nil
}
