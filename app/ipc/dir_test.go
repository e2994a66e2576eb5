package ipc

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"tokentray/tests/testenv"
)

// A command from cron, su or sudo has no XDG_RUNTIME_DIR: it must find the same folder as the app
// the desktop started, so the environment's runtime dir is not what decides.
func TestRuntimeDirIsTheSameWhateverTheEnvironment(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("LOCALAPPDATA", home) // Windows': a scheduled task has it as the desktop does
	t.Setenv("TOKENTRAY_RUNTIME_DIR", "")
	t.Setenv("XDG_RUNTIME_DIR", filepath.Join(home, "desktop-session"))
	desktop := RuntimeDir()
	os.Unsetenv("XDG_RUNTIME_DIR")
	if cron := RuntimeDir(); cron != desktop {
		t.Fatalf("the desktop's app uses %s, a cron job %s", desktop, cron)
	}
	want := filepath.Join(home, ".local", "state", "tokentray", "run")
	switch {
	case runtime.GOOS == "windows":
		want = filepath.Join(home, "Tokentray", "run")
	case CheckPrivate("/run/user/"+strconv.Itoa(os.Getuid())) == nil:
		want = filepath.Join("/run/user", strconv.Itoa(os.Getuid()), "tokentray")
	}
	if desktop != want {
		t.Fatalf("runtime dir %s, want %s", desktop, want)
	}
}

func TestCheckPrivate(t *testing.T) {
	testenv.UnixOnly(t, "a folder's mode and owner")
	dir := filepath.Join(t.TempDir(), "run")
	if err := MakePrivate(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := CheckPrivate(dir); !errors.Is(err, ErrNotPrivate) {
		t.Fatalf("a folder open to others: %v", err)
	}
	if err := MakePrivate(dir); err != nil || CheckPrivate(dir) != nil {
		t.Fatalf("our own folder open to others is closed: %v", err)
	}
	link := filepath.Join(t.TempDir(), "link")
	_ = os.Symlink(dir, link)
	if err := CheckPrivate(link); !errors.Is(err, ErrNotPrivate) {
		t.Fatalf("a symbolic link: %v", err)
	}
	if err := MakePrivate(link); !errors.Is(err, ErrNotPrivate) {
		t.Fatalf("MakePrivate through a link: %v", err)
	}
}
