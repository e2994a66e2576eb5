package audit

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tokentray/app/logging"
	"tokentray/auth"
	"tokentray/tests/testenv"

	"tokentray/app/model"
)

// The record stays under its bound, keeps the newest entries whole, and reads newest first.
func TestTheRecordOfHandOutsIsBounded(t *testing.T) {
	dir := t.TempDir()
	l := &Log{Errors: slog.New(slog.DiscardHandler), Path: filepath.Join(dir, "state", "audit.jsonl")}
	long := strings.Repeat("x", 200)
	for i := range 8000 { // about 2.5 MB of entries
		l.Record(model.HandOut{Time: time.Unix(int64(i), 0), AccountID: model.AccountID(fmt.Sprint("a", i%2)), Via: "token", Program: long, Fingerprint: auth.Fingerprint(fmt.Sprint(i))}, false)
	}
	fi, err := os.Stat(l.Path)
	if err != nil || fi.Size() > Max || unixModes && fi.Mode().Perm() != 0o600 {
		t.Fatalf("the record's file: %v %v", fi, err)
	}
	if d, _ := os.Stat(filepath.Dir(l.Path)); unixModes && d.Mode().Perm() != 0o700 {
		t.Errorf("its folder is %v", d.Mode().Perm())
	}
	all, err := l.Read("", 0)
	if err != nil || len(all) < 1000 || all[0].Time.Unix() != 7999 {
		t.Fatalf("read: %d entries, the first at %v, %v", len(all), all[0].Time, err)
	}
	for i := 1; i < len(all); i++ {
		if !all[i].Time.Before(all[i-1].Time) {
			t.Fatalf("not newest first at %d", i)
		}
	}
	one, _ := l.Read("a1", 3)
	if len(one) != 3 || one[0].AccountID != "a1" || one[0].Time.Unix() != 7999 {
		t.Fatalf("one account's newest three: %+v", one)
	}
	if auth.Fingerprint("secret") == auth.Fingerprint("secret2") || len(auth.Fingerprint("secret")) != 16 || strings.Contains(auth.Fingerprint("secret"), "secret") {
		t.Error("the fingerprint")
	}
}

// The record keeps its file open, yet follows the file at its path: one removed is made again,
// and one replaced (another process's trim) is appended to, never the old one.
func TestTheRecordFollowsItsFile(t *testing.T) {
	l := &Log{Errors: slog.New(slog.DiscardHandler), Path: filepath.Join(t.TempDir(), "state", "audit.jsonl")}
	rec := func(i int) { l.Record(model.HandOut{Time: time.Unix(int64(i), 0), Via: "token"}, false) }
	times := func() (out []int64) {
		all, err := l.Read("", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range all {
			out = append(out, h.Time.Unix())
		}
		return out
	}
	rec(1)
	rec(2)
	if got := times(); len(got) != 2 {
		t.Fatalf("two records read as %v", got)
	}
	if err := os.Remove(l.Path); err != nil {
		t.Fatal(err)
	}
	rec(3)
	if got := times(); len(got) != 1 || got[0] != 3 {
		t.Fatalf("after the file was removed, the record reads %v", got)
	}
	other := l.Path + ".new"
	if err := os.WriteFile(other, []byte(`{"time":"1970-01-01T00:00:09Z","via":"token"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, l.Path); err != nil {
		t.Fatal(err)
	}
	rec(4)
	if got := times(); len(got) != 2 || got[0] != 9 || got[1] != 4 {
		t.Fatalf("after the file was replaced, the record reads %v (newest first)", got)
	}
	if fi, err := os.Stat(l.Path); err != nil || unixModes && fi.Mode().Perm() != 0o600 {
		t.Fatalf("the file: %v %v", fi, err)
	}
}

// unixModes: the files' modes are checked where there are modes; on Windows the ACL of the
// user's profile folder keeps them.
const unixModes = runtime.GOOS != "windows"

// A hand-out is written after its answer is sent; a read of the record meanwhile waits for it.
func TestTheRecordWaitsForAHandOutPromised(t *testing.T) {
	l := &Log{Errors: slog.New(slog.DiscardHandler), Path: filepath.Join(t.TempDir(), "audit.jsonl")}
	l.Promise()
	read := make(chan []model.HandOut)
	go func() { h, _ := l.Read("", 0); read <- h }()
	select {
	case h := <-read:
		t.Fatalf("the read did not wait: %v", h)
	case <-time.After(100 * time.Millisecond):
	}
	l.Record(model.HandOut{Time: time.Unix(1, 0), AccountID: "a", Via: "token"}, true)
	if h := <-read; len(h) != 1 || h[0].AccountID != "a" {
		t.Fatalf("read %v", h)
	}
}

// The record and the log are never written through a symbolic link put in their place: the
// link's target keeps every byte (a hand-out used to trim it to half), and the reason is logged.
func TestTheRecordAndTheLogDoNotFollowALink(t *testing.T) {
	testenv.UnixOnly(t, "a symbolic link any user may make")
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	content := strings.Repeat("a line of someone's file\n", 60000) // past Max: a record would trim it
	if err := os.WriteFile(target, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var said strings.Builder
	l := &Log{Errors: slog.New(slog.NewTextHandler(&said, nil)), Path: filepath.Join(dir, "audit.jsonl")}
	l.Record(model.HandOut{Time: time.Unix(1, 0), Via: "token"}, false) // the file opened, then replaced
	if err := os.Remove(l.Path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, l.Path); err != nil {
		t.Fatal(err)
	}
	l.Record(model.HandOut{Time: time.Unix(2, 0), Via: "token"}, false)
	if _, err := l.Read("", 0); err == nil {
		t.Error("read through the link")
	}
	if _, _, err := logging.OpenLog(l.Path, false, nil); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("the log opened through a link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != content {
		t.Fatalf("the link's target was changed (%d bytes, was %d)", len(b), len(content))
	}
	if !strings.Contains(said.String(), "symbolic link") {
		t.Fatalf("nothing said why the hand-out was not recorded: %s", said.String())
	}
}
