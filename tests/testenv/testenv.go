// Package testenv lets tests that need a real part of the desktop (the keyring on a D-Bus session,
// an X display, a browser) say so. Under `make test`, which sets TOKENTRAY_TEST_SESSION=1 after
// starting a private D-Bus session, an unlocked gnome-keyring and Xvfb, a missing part fails the
// test; under a plain `go test` it skips the test with the reason, so it never passes silently.
package testenv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// InSession reports whether the tests run inside make test's prepared session.
func InSession() bool { return os.Getenv("TOKENTRAY_TEST_SESSION") == "1" }

func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if InSession() {
		t.Fatalf("make test prepared a session, yet "+format, args...)
	}
	t.Skipf("skipped: "+format+" (run `make test` for the real session)", args...)
}

// UnixOnly skips a test of what Unix alone has (file modes, symbolic links any user may make, a
// peer's uid) on Windows, where the test suite runs under Wine: there the profile folder's ACL
// keeps a user's files, and the named pipe's ACL the app's commands.
func UnixOnly(t testing.TB, what string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skipf("skipped on Windows: %s is Unix's", what)
	}
}

// Keyring requires a Secret Service on the session bus with an unlocked default collection; on
// Windows, Credential Manager, which is always there.
func Keyring(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		missing(t, "DBUS_SESSION_BUS_ADDRESS is not set, so there is no session bus for the keyring")
		return
	}
	done := make(chan error, 1)
	go func() { _, err := keyring.Get("tokentray-testenv-probe", "probe"); done <- err }()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, keyring.ErrNotFound) {
			missing(t, "the session's keyring does not work: %v", err)
		}
	case <-time.After(5 * time.Second):
		missing(t, "the session's keyring did not answer in 5s (locked?)")
	}
}

// Display requires an X display.
func Display(t testing.TB) {
	t.Helper()
	d := os.Getenv("DISPLAY")
	if d == "" {
		missing(t, "DISPLAY is not set")
		return
	}
	n := strings.TrimPrefix(strings.SplitN(d, ".", 2)[0], ":")
	if _, err := os.Stat(filepath.Join("/tmp/.X11-unix", "X"+n)); err != nil && !strings.Contains(d, "/") {
		missing(t, "no X server answers on DISPLAY=%s", d)
	}
}

// Command requires the named program on PATH and returns its path.
func Command(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "%s is not installed", name)
	}
	return p
}
