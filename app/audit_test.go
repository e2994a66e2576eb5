package app

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tokentray/app/model"
)

// The record stays under its bound, keeps the newest entries whole, and reads newest first.
func TestTheRecordOfHandOutsIsBounded(t *testing.T) {
	dir := t.TempDir()
	c := &Core{d: Deps{Log: slog.New(slog.DiscardHandler)}}
	l := &auditLog{path: filepath.Join(dir, "state", "audit.jsonl")}
	long := strings.Repeat("x", 200)
	for i := range 8000 { // about 2.5 MB of entries
		l.record(c, model.HandOut{Time: time.Unix(int64(i), 0), AccountID: fmt.Sprint("a", i%2), Via: "token", Program: long, Fingerprint: Fingerprint(fmt.Sprint(i))}, false)
	}
	fi, err := os.Stat(l.path)
	if err != nil || fi.Size() > auditMax || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the record's file: %v %v", fi, err)
	}
	if d, _ := os.Stat(filepath.Dir(l.path)); d.Mode().Perm() != 0o700 {
		t.Errorf("its folder is %v", d.Mode().Perm())
	}
	all, err := l.read("", 0)
	if err != nil || len(all) < 1000 || all[0].Time.Unix() != 7999 {
		t.Fatalf("read: %d entries, the first at %v, %v", len(all), all[0].Time, err)
	}
	for i := 1; i < len(all); i++ {
		if !all[i].Time.Before(all[i-1].Time) {
			t.Fatalf("not newest first at %d", i)
		}
	}
	one, _ := l.read("a1", 3)
	if len(one) != 3 || one[0].AccountID != "a1" || one[0].Time.Unix() != 7999 {
		t.Fatalf("one account's newest three: %+v", one)
	}
	if Fingerprint("secret") == Fingerprint("secret2") || len(Fingerprint("secret")) != 16 || strings.Contains(Fingerprint("secret"), "secret") {
		t.Error("the fingerprint")
	}
}

// A hand-out is written after its answer is sent; a read of the record meanwhile waits for it.
func TestTheRecordWaitsForAHandOutPromised(t *testing.T) {
	c := &Core{d: Deps{Log: slog.New(slog.DiscardHandler)}}
	l := &auditLog{path: filepath.Join(t.TempDir(), "audit.jsonl")}
	l.promise()
	read := make(chan []model.HandOut)
	go func() { h, _ := l.read("", 0); read <- h }()
	select {
	case h := <-read:
		t.Fatalf("the read did not wait: %v", h)
	case <-time.After(100 * time.Millisecond):
	}
	l.record(c, model.HandOut{Time: time.Unix(1, 0), AccountID: "a", Via: "token"}, true)
	if h := <-read; len(h) != 1 || h[0].AccountID != "a" {
		t.Fatalf("read %v", h)
	}
}
