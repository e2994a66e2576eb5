package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/google/uuid"
	"github.com/zalando/go-keyring"

	"tokentray/tests/testenv"
)

// TestMain lets a test re-run this binary as a child with another session bus: go-keyring keeps
// one bus connection per process, so a keyring that is absent or locked needs a process of its own.
func TestMain(m *testing.M) {
	if op := os.Getenv("TOKENTRAY_KEYRING_CHILD"); op != "" {
		keyringChild(op)
		return
	}
	os.Exit(m.Run())
}

func keyringChild(op string) {
	k := NewKeyring(os.Getenv("TOKENTRAY_KEYRING_SERVICE"))
	k.Timeout = 2 * time.Second
	start := time.Now()
	var err error
	switch op {
	case "set":
		err = k.Set("acct", "refresh_token", os.Getenv("TOKENTRAY_KEYRING_VALUE"))
	case "get":
		_, err = k.Get("acct", "refresh_token")
	}
	kind := "nil"
	switch {
	case errors.Is(err, ErrTimeout):
		kind = "timeout"
	case errors.Is(err, ErrUnavailable):
		kind = "unavailable"
	case err != nil:
		kind = "other"
	}
	fmt.Printf("kind=%s elapsed=%s err=%v\n", kind, time.Since(start).Round(time.Millisecond), err)
}

// testKeyring returns a Keyring on the session's real keyring under a service name of the test's
// own, removed when the test ends.
func testKeyring(t *testing.T) *Keyring {
	t.Helper()
	testenv.Keyring(t)
	k := NewKeyring("tokentray-test-" + uuid.NewString())
	t.Cleanup(func() { _ = keyring.DeleteAll(k.Service) })
	return k
}

func randomText(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

func TestKeyringRoundTripsA16KBValueInParts(t *testing.T) {
	k := testKeyring(t)
	value := randomText(t, 16*1024)
	if err := k.Set("acct", "id_token", value); err != nil {
		t.Fatalf("Set: %v", err)
	}
	got, err := k.Get("acct", "id_token")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got != value {
		t.Fatalf("Get returned %d bytes that differ from the %d written", len(got), len(value))
	}
	// The value really is stored in parts no larger than the platforms accept.
	stored, err := keyring.Get(k.Service, "acct/id_token")
	if err != nil {
		t.Fatal(err)
	}
	m, ok := parseManifest(stored)
	if !ok || m.parts != 16 {
		t.Fatalf("stored item is %q, want a manifest of 16 parts", stored)
	}
	for i := range m.parts {
		p, err := keyring.Get(k.Service, m.partName("acct", "id_token", i))
		if err != nil || len(p) > DefaultPartSize {
			t.Fatalf("part %d: %d bytes, err %v", i+1, len(p), err)
		}
	}
}

func TestKeyringSmallValueAndMissingKey(t *testing.T) {
	k := testKeyring(t)
	if _, err := k.Get("acct", "refresh_token"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing key: err = %v, want ErrNotFound", err)
	}
	if err := k.Set("acct", "refresh_token", "r1"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("acct", "refresh_token"); err != nil || got != "r1" {
		t.Fatalf("Get = %q, %v; want r1", got, err)
	}
	// A value that looks like a manifest is still returned as written.
	tricky := partsPrefix + "abcd:1:00"
	if err := k.Set("acct", "tricky", tricky); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("acct", "tricky"); err != nil || got != tricky {
		t.Fatalf("Get = %q, %v; want %q", got, err, tricky)
	}
}

func TestKeyringReplacingALargeValueRemovesItsParts(t *testing.T) {
	k := testKeyring(t)
	if err := k.Set("acct", "tok", randomText(t, 5000)); err != nil {
		t.Fatal(err)
	}
	stored, _ := keyring.Get(k.Service, "acct/tok")
	old, _ := parseManifest(stored)
	if err := k.Set("acct", "tok", "small"); err != nil {
		t.Fatal(err)
	}
	for i := range old.parts {
		if _, err := keyring.Get(k.Service, old.partName("acct", "tok", i)); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("part %d of the replaced value is still stored (err %v)", i+1, err)
		}
	}
	if got, _ := k.Get("acct", "tok"); got != "small" {
		t.Fatalf("Get = %q, want small", got)
	}
}

func TestKeyringDeleteAccountRemovesEveryPart(t *testing.T) {
	k := testKeyring(t)
	if err := k.Set("acct", "big", randomText(t, 3000)); err != nil {
		t.Fatal(err)
	}
	if err := k.Set("acct", "small", "s"); err != nil {
		t.Fatal(err)
	}
	if err := k.Set("other", "small", "kept"); err != nil {
		t.Fatal(err)
	}
	stored, _ := keyring.Get(k.Service, "acct/big")
	m, _ := parseManifest(stored)
	if err := k.DeleteAccount("acct"); err != nil {
		t.Fatalf("DeleteAccount: %v", err)
	}
	names := []string{"acct/big", "acct/small", "acct/"}
	for i := range m.parts {
		names = append(names, m.partName("acct", "big", i))
	}
	for _, n := range names {
		if _, err := keyring.Get(k.Service, n); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("%s survived DeleteAccount (err %v)", n, err)
		}
	}
	if got, err := k.Get("other", "small"); err != nil || got != "kept" {
		t.Fatalf("another account's secret: %q, %v", got, err)
	}
	if err := k.Delete("acct", "big"); err != nil {
		t.Fatalf("Delete of a deleted key: %v, want nil", err)
	}
}

func TestKeyringDetectsADamagedValue(t *testing.T) {
	k := testKeyring(t)
	if err := k.Set("acct", "tok", randomText(t, 3000)); err != nil {
		t.Fatal(err)
	}
	stored, _ := keyring.Get(k.Service, "acct/tok")
	m, _ := parseManifest(stored)
	if err := keyring.Set(k.Service, m.partName("acct", "tok", 1), "tampered"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("acct", "tok"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("tampered part: err = %v, want ErrCorrupt", err)
	}
	if err := keyring.Delete(k.Service, m.partName("acct", "tok", 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("acct", "tok"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("missing part: err = %v, want ErrCorrupt", err)
	}
}

func TestKeyringRejectsBadNames(t *testing.T) {
	k := NewKeyring("unused") // the checks come before any keyring call
	for _, c := range [][2]string{{"", "k"}, {"a", ""}, {"a/b", "k"}, {"a", "k#1"}} {
		if err := k.Set(c[0], c[1], "v"); err == nil {
			t.Errorf("Set(%q, %q) succeeded", c[0], c[1])
		}
	}
}

// runChild runs this test binary as a keyring child on the bus at addr and returns what it printed.
func runChild(t *testing.T, home, addr, op, value string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(testenv.HomeEnv(home), "DBUS_SESSION_BUS_ADDRESS="+addr,
		"TOKENTRAY_KEYRING_CHILD="+op, "TOKENTRAY_KEYRING_SERVICE=tokentray-test",
		"TOKENTRAY_KEYRING_VALUE="+value)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	return string(out)
}

// assertNothingWritten fails if any file under home holds value in the clear.
func assertNothingWritten(t *testing.T, home, value string) {
	t.Helper()
	_ = filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if b, _ := os.ReadFile(p); strings.Contains(string(b), value) {
			t.Errorf("the secret was written to %s", p)
		}
		return nil
	})
}

func TestKeyringAbsentGivesAClearErrorAndWritesNothing(t *testing.T) {
	testenv.UnixOnly(t, "a keyring on a session bus that may be missing") // Credential Manager is always there
	for _, tc := range []struct{ name, addr string }{
		{"no secret service on the bus", ""},
		{"no session bus at all", "unix:path=/nonexistent/bus"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			addr := tc.addr
			if addr == "" {
				addr = testenv.PrivateBus(t, home, false)
			}
			value := "secret-" + uuid.NewString()
			out := runChild(t, home, addr, "set", value)
			if !strings.HasPrefix(out, "kind=unavailable") || !strings.Contains(out, "system keyring is not available") {
				t.Fatalf("child printed %q, want an ErrUnavailable with a clear message", out)
			}
			assertNothingWritten(t, home, value)
		})
	}
}

func TestKeyringLockedGivesAnErrorWithinTheTimeoutAndWritesNothing(t *testing.T) {
	testenv.Command(t, "gnome-keyring-daemon")
	home := t.TempDir()
	addr := testenv.PrivateBus(t, home, true)
	unlock := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets")
	unlock.Env = append(testenv.HomeEnv(home), "DBUS_SESSION_BUS_ADDRESS="+addr)
	unlock.Stdin = strings.NewReader("pw")
	if out, err := unlock.CombinedOutput(); err != nil {
		t.Fatalf("gnome-keyring-daemon: %v\n%s", err, out)
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0,
		[]dbus.ObjectPath{"/org/freedesktop/secrets/collection/login"}).Store(&locked, &prompt); err != nil {
		t.Fatalf("could not lock the test keyring: %v", err)
	}

	value := "secret-" + uuid.NewString()
	start := time.Now()
	out := runChild(t, home, addr, "set", value)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the child took %s; the keyring timeout is 2s", took)
	}
	if !strings.HasPrefix(out, "kind=timeout") && !strings.HasPrefix(out, "kind=unavailable") {
		t.Fatalf("child printed %q, want a timeout or unavailable error", out)
	}
	var unlockedItems, lockedItems []dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.SearchItems", 0,
		map[string]string{"service": "tokentray-test"}).Store(&unlockedItems, &lockedItems); err != nil {
		t.Fatal(err)
	}
	if n := len(unlockedItems) + len(lockedItems); n != 0 {
		t.Errorf("%d items were written to the locked keyring", n)
	}
	assertNothingWritten(t, home, value)
	t.Logf("locked keyring: %s", strings.TrimSpace(out))
}
