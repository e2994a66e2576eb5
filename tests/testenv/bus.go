package testenv

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// PrivateBus starts a D-Bus session daemon of the test's own and returns its address. With
// services false it activates nothing (no Secret Service, no notifications): a desktop without a
// keyring. With services true it activates the system's session services, with HOME and the XDG
// dirs pointing at home, so a gnome-keyring it starts keeps its files there. It stops with the test.
func PrivateBus(t testing.TB, home string, services bool) string {
	t.Helper()
	Command(t, "dbus-daemon")
	dir := t.TempDir()
	servicedir := ""
	if services {
		servicedir = "<standard_session_servicedirs/>"
	}
	conf := filepath.Join(dir, "bus.conf")
	err := os.WriteFile(conf, []byte(fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%s</listen>
  %s
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>`, dir, servicedir)), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	cmd.Env = HomeEnv(home)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("could not start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(addr)
}

// HomeEnv returns the current environment with HOME, the XDG dirs and Tokentray's runtime dir
// moved under home.
func HomeEnv(home string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "TOKENTRAY_RUNTIME_DIR":
			continue
		}
		env = append(env, kv)
	}
	run := filepath.Join(home, "run")
	_ = os.MkdirAll(run, 0o700)
	_ = os.MkdirAll(filepath.Join(home, ".cache"), 0o700) // as every desktop has: Fyne makes only its own folder in it
	return append(env, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local/share"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local/state"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_RUNTIME_DIR="+run,
		// Tokentray's socket is in /run/user/<uid> where that exists, whatever XDG_RUNTIME_DIR
		// says: keep each test's app apart from the others and from a real one.
		"TOKENTRAY_RUNTIME_DIR="+filepath.Join(run, "tokentray"))
}
