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
	"runtime"
	"strconv"
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

// RuntimeDir is the per-user folder for the socket and locks: $TOKENTRAY_RUNTIME_DIR, else
// $XDG_RUNTIME_DIR/tokentray on Linux, else a tokentray-<uid> folder in the temporary dir (per-user
// on macOS), else %LocalAppData%\Tokentray\run on Windows.
func RuntimeDir() string {
	if d := os.Getenv("TOKENTRAY_RUNTIME_DIR"); d != "" {
		return d
	}
	if runtime.GOOS == "windows" {
		if d, err := os.UserCacheDir(); err == nil {
			return filepath.Join(d, "Tokentray", "run")
		}
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && runtime.GOOS != "darwin" {
		return filepath.Join(d, "tokentray")
	}
	return filepath.Join(os.TempDir(), "tokentray-"+strconv.Itoa(os.Getuid()))
}

// SocketPath is where the app listens.
func SocketPath() string { return filepath.Join(RuntimeDir(), "tokentray.sock") }

// Call sends req to the app and returns its answer. It gives up after timeout.
func Call(ctx context.Context, req Request, timeout time.Duration) (*Response, error) {
	req.V = Version
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", SocketPath())
	if err != nil {
		return nil, ErrNotRunning
	}
	defer conn.Close()
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
