package testenv

import (
	"os/exec"
	"strings"
	"testing"
)

// PrivateKeyring starts a session bus of the test's own with an unlocked gnome-keyring on it, its
// files under home, and returns the bus address: processes given it keep their secrets apart from
// every other test's.
func PrivateKeyring(t testing.TB, home string) string {
	t.Helper()
	Command(t, "gnome-keyring-daemon")
	addr := PrivateBus(t, home, true)
	cmd := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets")
	cmd.Env = append(HomeEnv(home), "DBUS_SESSION_BUS_ADDRESS="+addr)
	cmd.Stdin = strings.NewReader("test")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gnome-keyring-daemon: %v\n%s", err, out)
	}
	return addr
}
