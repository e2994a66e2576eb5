// Package audit is the record of hand-outs: every time a credential leaves Tokentray (a copy from
// the tray or the window, token, exec, api), one JSON line in the audit file beside the log (mode
// 0600, never written through a link): when, which account, how, which process asked (its pid, its
// program, and the program that ran it), and a fingerprint of the credential, never the credential.
// The file is kept under Max: past it, the older half goes.
package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"tokentray/app/config"
	"tokentray/app/model"
)

// Max bounds the audit file, in bytes.
const Max = 1 << 20

// Log appends to and reads the audit file at Path; one per core, safe for concurrent use.
// Processes that append at once (the app and a command without it) each write whole lines
// (O_APPEND). A record that cannot be written is said in Errors' log, never the hand-out's failure.
type Log struct {
	Path   string
	Errors *slog.Logger

	mu      sync.Mutex
	pending int        // hand-outs promised (record to come), not yet written; read waits for them
	written *sync.Cond // on mu, when pending falls
	// f is the file at path, open for appending since the last record, and fi what it was then:
	// each record after is a stat, a write and an fstat, where opening it cost five more system
	// calls in the app after every hand-out (make bench).
	f  *os.File
	fi os.FileInfo
}

// Promise says that a hand-out will be recorded: a Read waits for it.
func (l *Log) Promise() {
	l.mu.Lock()
	l.pending++
	l.mu.Unlock()
}

// Record appends h, keeping a Promise when promised.
func (l *Log) Record(h model.HandOut, promised bool) {
	b, _ := json.Marshal(h)
	l.mu.Lock()
	defer l.mu.Unlock()
	if promised {
		defer func() { l.pending--; l.cond().Broadcast() }()
	}
	f, err := l.file()
	if err != nil {
		l.Errors.Warn("could not record a hand-out", "err", err)
		return
	}
	_, err = f.Write(append(b, '\n'))
	fi, serr := f.Stat()
	if err != nil {
		l.Errors.Warn("could not record a hand-out", "err", err)
		l.close()
	}
	if serr == nil && fi.Size() > Max {
		l.close() // first: on Windows a file open cannot be replaced
		l.trim()
	}
	if runtime.GOOS == "windows" { // nor by another process's trim
		l.close()
	}
}

// file is the audit file open for appending: the one open since the last record while it is still
// the file at path, else opened again (it was trimmed, here or by a command doing the job itself,
// or removed). Called with l.mu held.
func (l *Log) file() (*os.File, error) {
	if l.f != nil {
		if fi, err := os.Lstat(l.Path); err == nil && os.SameFile(fi, l.fi) {
			return l.f, nil
		}
		l.close()
	}
	if err := os.MkdirAll(filepath.Dir(l.Path), 0o700); err != nil {
		return nil, err
	}
	f, err := config.OpenPrivate(l.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE)
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
func (l *Log) close() {
	if l.f != nil {
		l.f.Close()
		l.f, l.fi = nil, nil
	}
}

// trim keeps the newer half of the file, whole lines, written anew in its place (never through
// a link). Called with l.mu held.
func (l *Log) trim() {
	if fi, err := os.Lstat(l.Path); err != nil || !fi.Mode().IsRegular() {
		return
	}
	data, err := os.ReadFile(l.Path)
	if err != nil || len(data) <= Max {
		return
	}
	keep := data[len(data)-Max/2-1:] // from the byte before: a line that starts at the cut stays whole
	if i := bytes.IndexByte(keep, '\n'); i >= 0 {
		keep = keep[i+1:]
	}
	_ = config.ReplaceFile(l.Path, keep)
}

// Read returns the hand-outs of the account with id ("" for every account), newest first, at
// most n (0: all).
func (l *Log) Read(id model.AccountID, n int) ([]model.HandOut, error) {
	l.mu.Lock()
	for l.pending > 0 {
		l.cond().Wait()
	}
	l.mu.Unlock()
	f, err := config.OpenPrivate(l.Path, os.O_RDONLY)
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
func (l *Log) cond() *sync.Cond {
	if l.written == nil {
		l.written = sync.NewCond(&l.mu)
	}
	return l.written
}
