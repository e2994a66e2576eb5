package app

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"tokentray/app/config"
	"tokentray/app/ipc"
	"tokentray/app/model"
	"tokentray/auth"
)

// The record of hand-outs: every time a credential leaves Tokentray (a copy from the tray or the
// window, token, exec, api), one JSON line in the audit file beside the log (mode 0600): when,
// which account, how, which process asked (its pid, its program, and the program that ran it),
// and a fingerprint of the credential, never the credential. The file is kept under auditMax:
// past it, the older half goes.

// auditMax bounds the audit file, in bytes.
const auditMax = 1 << 20

// auditLog appends to and reads the audit file; one per core, safe for concurrent use. Processes
// that append at once (the app and a command without it) each write whole lines (O_APPEND).
type auditLog struct {
	path    string
	mu      sync.Mutex
	pending int        // hand-outs promised (record to come), not yet written; read waits for them
	written *sync.Cond // on mu, when pending falls
	// f is the file at path, open for appending since the last record, and fi what it was then:
	// each record after is a stat, a write and an fstat, where opening it cost five more system
	// calls in the app after every hand-out (make bench).
	f  *os.File
	fi os.FileInfo
}

// promise says that a hand-out will be recorded: a read waits for it.
func (l *auditLog) promise() {
	l.mu.Lock()
	l.pending++
	l.mu.Unlock()
}

// record appends h, keeping a promise when promised; a failure is logged, never the caller's
// failure.
func (l *auditLog) record(c *Core, h model.HandOut, promised bool) {
	b, _ := json.Marshal(h)
	l.mu.Lock()
	defer l.mu.Unlock()
	if promised {
		defer func() { l.pending--; l.cond().Broadcast() }()
	}
	f, err := l.file()
	if err != nil {
		c.d.Log.Warn("could not record a hand-out", "err", err)
		return
	}
	_, err = f.Write(append(b, '\n'))
	fi, serr := f.Stat()
	if err != nil {
		c.d.Log.Warn("could not record a hand-out", "err", err)
		l.close()
	}
	if serr == nil && fi.Size() > auditMax {
		l.trim()
		l.close()
	}
	if runtime.GOOS == "windows" { // an open file there cannot be replaced, as another process's trim does
		l.close()
	}
}

// file is the audit file open for appending: the one open since the last record while it is still
// the file at path, else opened again (it was trimmed, here or by a command doing the job itself,
// or removed). Called with l.mu held.
func (l *auditLog) file() (*os.File, error) {
	if l.f != nil {
		if fi, err := os.Lstat(l.path); err == nil && os.SameFile(fi, l.fi) {
			return l.f, nil
		}
		l.close()
	}
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return nil, err
	}
	f, err := openPrivate(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	l.f, l.fi = f, fi
	return f, nil
}

// close closes the file record keeps open. Called with l.mu held.
func (l *auditLog) close() {
	if l.f != nil {
		l.f.Close()
		l.f, l.fi = nil, nil
	}
}

// trim keeps the newer half of the file, whole lines, written anew in its place (never through
// a link). Called with l.mu held.
func (l *auditLog) trim() {
	if fi, err := os.Lstat(l.path); err != nil || !fi.Mode().IsRegular() {
		return
	}
	data, err := os.ReadFile(l.path)
	if err != nil || len(data) <= auditMax {
		return
	}
	keep := data[len(data)-auditMax/2-1:] // from the byte before: a line that starts at the cut stays whole
	if i := bytes.IndexByte(keep, '\n'); i >= 0 {
		keep = keep[i+1:]
	}
	_ = config.ReplaceFile(l.path, keep)
}

// read returns the hand-outs of the account with id ("" for every account), newest first, at
// most n (0: all).
func (l *auditLog) read(id string, n int) ([]model.HandOut, error) {
	l.mu.Lock()
	for l.pending > 0 {
		l.cond().Wait()
	}
	l.mu.Unlock()
	f, err := openPrivate(l.path, os.O_RDONLY)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []model.HandOut
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		var h model.HandOut
		if json.Unmarshal(sc.Bytes(), &h) == nil && (id == "" || h.AccountID == id) {
			out = append(out, h)
		}
	}
	slices.Reverse(out)
	// newest first by time: lines written on goroutines (handOut), or by other processes, may
	// land out of order
	slices.SortStableFunc(out, func(a, b model.HandOut) int { return b.Time.Compare(a.Time) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out, sc.Err()
}

// cond is written, made on first use. Called with l.mu held.
func (l *auditLog) cond() *sync.Cond {
	if l.written == nil {
		l.written = sync.NewCond(&l.mu)
	}
	return l.written
}

// Fingerprint names a credential in the record without revealing it: the first 8 bytes of its
// SHA-256, which tell two hand-outs of the same credential apart from two of different ones.
func Fingerprint(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:8])
}

// asker is who asked for a credential: the process at the other end of the socket, or this one.
type asker struct {
	via     string // token, exec, api, window, tray
	command string // exec's command
	peer    ipc.Peer
}

type askerKey struct{}

// withAsker marks ctx with who asks, for the record.
func withAsker(ctx context.Context, a asker) context.Context {
	return context.WithValue(ctx, askerKey{}, a)
}

// WithAsker marks ctx as asked by this process, by way of via (token, exec, api…), running command
// (exec's), for the record of hand-outs: a command doing the job itself without the app.
func WithAsker(ctx context.Context, via, command string) context.Context {
	return withAsker(ctx, asker{via: via, command: command})
}

// viaOf is how a socket request says it takes a credential, for the record: one of the ways
// Tokentray knows, else "socket" (a client cannot label itself the tray).
func viaOf(via string) string {
	switch via {
	case "token", "exec", "api", "window", "inspect":
		return via
	}
	return "socket"
}

// withVia marks ctx's asker as asking by way of via (api: Tokentray calls for it).
func withVia(ctx context.Context, via string) context.Context {
	a, _ := ctx.Value(askerKey{}).(asker)
	a.via = via
	return withAsker(ctx, a)
}

func askerOf(ctx context.Context) asker {
	a, _ := ctx.Value(askerKey{}).(asker)
	if a.peer.PID == 0 {
		a.peer.PID = os.Getpid()
	}
	if a.via == "" {
		a.via = "tray" // the app's own face, in this process
	}
	return a
}

// handOut records that cred of acc left Tokentray to the asker in ctx.
func (c *Core) handOut(ctx context.Context, acc config.Account, cred model.Credential) {
	a := askerOf(ctx)
	h := model.HandOut{Time: c.d.Now().UTC().Truncate(time.Millisecond), AccountID: acc.ID, Account: acc.Name, Via: a.via,
		Command: a.command, PID: a.peer.PID, Program: programOf(a.peer.PID)}
	// The rest once the asker has its answer (afterReply): the asker waits for nothing but its
	// credential, and a read of the record still sees it. The parent is read at once (/proc keeps
	// the asker until it is reaped), and the line written at once, on the thread that answered:
	// one append to the file kept open. On a goroutine, as it was, the thread it woke cost the app
	// a quarter more CPU for each hand-out, spent on the other core while the asker was still
	// ending (make bench: 0.03 of hello-world's time).
	c.audit.promise()
	afterReply(ctx, func() {
		// a program's name is anyone's choice: made printable, as any text Tokentray prints
		h.Program, h.Parent, h.Command = auth.Printable(h.Program, 300), auth.Printable(parentOf(h.PID), 300), auth.Printable(h.Command, 100)
		h.Fingerprint = Fingerprint(cred.Value)
		c.audit.record(c, h, true)
	})
}

// Audit returns the record of the named account's hand-outs ("" for every account), newest first.
func (c *Core) Audit(name string, n int) ([]model.HandOut, error) {
	id := ""
	if name != "" {
		a, err := c.resolve(name)
		if err != nil {
			return nil, err
		}
		id = a.ID
	}
	return c.audit.read(id, n)
}
