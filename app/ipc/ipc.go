// Package ipc is the protocol between the running app and its other faces (the `tokentray`
// commands, the accounts window): one JSON request line and JSON response lines over a Unix socket
// in the user's runtime dir, and the command table. It imports nothing heavy, so the `tokentray
// token` fast path starts as quickly as a small Go program.
package ipc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"tokentray/app/model"
)

// Version is the protocol version; a request of another version gets an error, never a guess.
// 2: typed accounts (model.Account), progress lines, and the subscription stream.
const Version = 2

// MaxRequest is the largest request line the app reads, in bytes: room for a secret of 64 KiB.
const MaxRequest = 160 << 10

// Exit codes a script can branch on; responses carry them so every path exits the same way.
const (
	ExitOK             = 0
	ExitFailure        = 1
	ExitUsage          = 2
	ExitSignInRequired = 3
	ExitNoAccount      = 4
)

// Request is what a command, or the accounts window, asks of the app. Op names a core call
// (see app.Core.Answer): token, list, status, login, logout, act-as, add, remove, update, renew,
// check, paste, cancel, prefs, set-prefs, reload, show, quit, subscribe.
type Request struct {
	V        int                `json:"v"`
	Op       string             `json:"op"`
	Account  string             `json:"account,omitempty"`   // a name (any case, a unique beginning of it or of a word in it) or an id
	MinValid string             `json:"min_valid,omitempty"` // a Go duration; "" for the default
	User     string             `json:"user,omitempty"`      // act-as
	Name     string             `json:"name,omitempty"`      // add, update: the account's (new) name
	Provider string             `json:"provider,omitempty"`  // add
	Settings map[string]string  `json:"settings,omitempty"`  // add, update
	Secrets  map[string]string  `json:"secrets,omitempty"`   // add, update: they go straight to the keyring
	Text     string             `json:"text,omitempty"`      // paste
	Prefs    *model.Preferences `json:"prefs,omitempty"`     // set-prefs
	// NoBrowser: login prints the address and leaves opening it to the person.
	NoBrowser bool `json:"no_browser,omitempty"`
	// Device: login (or the window's sign-in) on another device, RFC 8628.
	Device bool `json:"device,omitempty"`
	// Via is how a credential asked for leaves Tokentray (token, exec, api, window), for the record
	// of hand-outs.
	Via     string            `json:"via,omitempty"`
	Command string            `json:"command,omitempty"` // exec's command, for the record
	Limit   int               `json:"limit,omitempty"`   // audit: the newest this many; 0 for all
	API     *model.APIRequest `json:"api,omitempty"`
}

// Response is the app's answer. A long request (login) may be preceded by progress lines, which
// carry Progress and nothing final; a subscription is a stream of responses, one per change.
type Response struct {
	V          int                `json:"v"`
	Error      string             `json:"error,omitempty"`
	Code       int                `json:"code,omitempty"` // the exit code for Error
	Progress   string             `json:"progress,omitempty"`
	Token      *model.Credential  `json:"token,omitempty"`
	Accounts   []model.Account    `json:"accounts,omitempty"`
	Problem    string             `json:"problem,omitempty"` // the accounts file's, when it does not load
	Prefs      *model.Preferences `json:"prefs,omitempty"`
	HandOuts   []model.HandOut    `json:"hand_outs,omitempty"` // audit
	Inspection *model.Inspection  `json:"inspection,omitempty"`
	API        *model.APIResponse `json:"api,omitempty"`
	Device     *model.DeviceCode  `json:"device,omitempty"` // progress of a sign-in on another device
	Text       string             `json:"text,omitempty"`   // check: who the provider says; login: the address
	Field      string             `json:"field,omitempty"`  // add, update: the setting at fault
	Info       *model.AppInfo     `json:"info,omitempty"`   // subscribe: about the app
}

// ErrNotRunning means no app answers on the socket.
var ErrNotRunning = errors.New("Tokentray is not running")

// ErrNotTrusted means something answers at the socket that is not this user's Tokentray.
var ErrNotTrusted = errors.New("refusing to talk to it")

// Call sends req to the app and returns its answer. It gives up after timeout. Before sending
// anything it checks that the socket's folder is this user's alone and that the process
// listening runs as this user: another user could otherwise pose as the app.
func Call(ctx context.Context, req Request, timeout time.Duration) (*Response, error) {
	return CallWith(ctx, req, timeout, nil)
}

// CallWith is Call, handing each progress line the app sends before its answer to progress.
// The time limit is a deadline on the socket, not a context's timer: the first timer would start
// Go's poller in a command that needs none (make bench).
func CallWith(ctx context.Context, req Request, timeout time.Duration, progress func(*Response)) (*Response, error) {
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	path := SocketPath()
	if path == "" { // no runtime folder to find it in: the whole program says why
		return nil, ErrNotRunning
	}
	conn, err := dial(path, deadline)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return exchange(conn, req, deadline, func(r *Response) {
		if progress != nil {
			progress(r)
		}
	})
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
func exchange(conn lineConn, req Request, deadline time.Time, early func(*Response)) (*Response, error) {
	req.V = Version
	_ = conn.SetDeadline(deadline)
	b, err := req.encode()
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
		resp, err := decodeResponse(line)
		if err != nil {
			return nil, fmt.Errorf("Tokentray answered something unreadable: %w", err)
		}
		if resp.Progress == "" && resp.Device == nil { // not progress: the answer
			return resp, nil
		}
		early(resp)
	}
}

// encode is req as JSON. The requests scripts send all day (token, list, status) carry only
// strings and numbers, and are written here directly: encoding/json's first use of a type
// builds its encoder by reflection, a quarter of what `tokentray token` costs (make bench). Any
// other request goes through encoding/json; TestRequestEncoding checks the two agree.
func (req Request) encode() ([]byte, error) {
	if req.Settings != nil || req.Secrets != nil || req.Prefs != nil || req.API != nil {
		return encodeOther(req)
	}
	b := append(make([]byte, 0, 128), `{"v":`...)
	b = strconv.AppendInt(b, int64(req.V), 10)
	b = appendField(b, "op", req.Op)
	for _, f := range []struct{ key, v string }{{"account", req.Account}, {"min_valid", req.MinValid}, {"user", req.User},
		{"name", req.Name}, {"provider", req.Provider}, {"text", req.Text}} {
		if f.v != "" {
			b = appendField(b, f.key, f.v)
		}
	}
	if req.NoBrowser {
		b = append(b, `,"no_browser":true`...)
	}
	if req.Device {
		b = append(b, `,"device":true`...)
	}
	for _, f := range []struct{ key, v string }{{"via", req.Via}, {"command", req.Command}} {
		if f.v != "" {
			b = appendField(b, f.key, f.v)
		}
	}
	if req.Limit != 0 {
		b = append(b, `,"limit":`...)
		b = strconv.AppendInt(b, int64(req.Limit), 10)
	}
	return append(b, '}'), nil
}
