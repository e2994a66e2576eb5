package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
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

// KeyringControl locks, unlocks, kills and restarts the gnome-keyring of a private bus, as a
// screen lock, a user or a crash would.
type KeyringControl struct {
	t    testing.TB
	home string
	bus  string
}

// ControlKeyring returns the control of the keyring PrivateKeyring started on bus for home.
func ControlKeyring(t testing.TB, home, bus string) *KeyringControl {
	return &KeyringControl{t: t, home: home, bus: bus}
}

func (k *KeyringControl) conn() *dbus.Conn {
	k.t.Helper()
	c, err := dbus.Connect(k.bus)
	if err != nil {
		k.t.Fatal(err)
	}
	return c
}

// Lock locks the default collection (org.freedesktop.Secret.Service.Lock).
func (k *KeyringControl) Lock() {
	k.t.Helper()
	c := k.conn()
	defer c.Close()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := c.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/aliases/default"}).Store(&locked, &prompt)
	if err != nil || len(locked) == 0 {
		k.t.Fatalf("could not lock the keyring: %v (locked %v)", err, locked)
	}
}

// Unlock unlocks the login keyring with its password, as the user does at gnome-keyring's prompt
// (through the interface its own tools use, as no prompt can be shown here).
func (k *KeyringControl) Unlock() {
	k.t.Helper()
	c := k.conn()
	defer c.Close()
	svc := c.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var out dbus.Variant
	var session dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
		k.t.Fatalf("could not open a keyring session: %v", err)
	}
	secret := struct {
		Session     dbus.ObjectPath
		Parameters  []byte
		Value       []byte
		ContentType string
	}{session, []byte{}, []byte("test"), "text/plain"}
	if err := svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0,
		dbus.ObjectPath("/org/freedesktop/secrets/collection/login"), secret).Err; err != nil {
		k.t.Fatalf("could not unlock the keyring: %v", err)
	}
}

// Start starts the keyring daemon again after Kill, unlocked, as logging in again does.
func (k *KeyringControl) Start() {
	k.t.Helper()
	cmd := exec.Command("gnome-keyring-daemon", "--replace", "--unlock", "--components=secrets")
	cmd.Env = append(HomeEnv(k.home), "DBUS_SESSION_BUS_ADDRESS="+k.bus)
	cmd.Stdin = strings.NewReader("test")
	if out, err := cmd.CombinedOutput(); err != nil {
		k.t.Fatalf("gnome-keyring-daemon --unlock: %v\n%s", err, out)
	}
}

// Kill kills the keyring daemon, as a crash or a session restart does.
func (k *KeyringControl) Kill() {
	k.t.Helper()
	c := k.conn()
	defer c.Close()
	var pid uint32
	if err := c.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, "org.freedesktop.secrets").Store(&pid); err != nil {
		k.t.Fatalf("who owns org.freedesktop.secrets: %v", err)
	}
	p, err := os.FindProcess(int(pid))
	if err == nil {
		err = p.Kill()
	}
	if err != nil {
		k.t.Fatalf("could not kill the keyring daemon %d: %v", pid, err)
	}
}
