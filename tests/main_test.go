// Package tests holds end-to-end tests: the real tokentray binary, on a D-Bus session bus of the
// test's own, on the X display that `make test` provides, read as a panel and a person would.
package tests

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tokentray/tests/testenv"
)

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// binary returns the lean tokentray command under test, with the whole program tokentray-tray
// beside it: from $TOKENTRAY_BIN_DIR (make test builds them once), or built here.
func binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		if d := os.Getenv("TOKENTRAY_BIN_DIR"); d != "" {
			binDir, binErr = filepath.Abs(d)
			return
		}
		if binDir, binErr = os.MkdirTemp("", "tokentray-bin"); binErr != nil {
			return
		}
		cmd := exec.Command("../packaging/build.sh", binDir) // the recipe make build uses
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("packaging/build.sh: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "tokentray")
}

// proc is a running tokentray.
type proc struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	home   string
	done   chan struct{}
	status error
}

// extraEnv is added to the environment of every process a test starts; unsetEnv names variables
// taken out of it.
var extraEnv, unsetEnv []string

// startApp starts tokentray with args in a HOME of its own, on the bus at bus and the session's display.
func startApp(t testing.TB, home, bus string, args ...string) *proc {
	t.Helper()
	testenv.Display(t)
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(testenv.HomeEnv(home), "DBUS_SESSION_BUS_ADDRESS="+bus)
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Env = slices.DeleteFunc(cmd.Env, func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return slices.Contains(unsetEnv, k)
	})
	p := &proc{cmd: cmd, out: &syncBuffer{}, home: home, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.status = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("tokentray output:\n%s", p.out.String())
		}
	})
	return p
}

// runCmd runs cmd with stdin and returns its stdout, stderr and exit code; a program that could
// not be run at all fails the test.
func runCmd(t testing.TB, cmd *exec.Cmd, stdin string) (string, string, int) {
	t.Helper()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// wait waits for the process to exit and returns its error.
func (p *proc) wait(t testing.TB, within time.Duration) error {
	t.Helper()
	select {
	case <-p.done:
		return p.status
	case <-time.After(within):
		t.Fatalf("tokentray still running after %s", within)
		return nil
	}
}

// windows lists the X windows of this process whose name is exactly name; visible only if onlyVisible.
func (p *proc) windows(t testing.TB, name string, onlyVisible bool) []string {
	t.Helper()
	testenv.Command(t, "xdotool")
	args := []string{"search", "--pid", fmt.Sprint(p.cmd.Process.Pid), "--name", "^" + name + "$"}
	if onlyVisible {
		args = append(args[:1], append([]string{"--onlyvisible"}, args[1:]...)...)
	}
	out, _ := exec.Command("xdotool", args...).Output() // exit 1 when nothing matches
	return strings.Fields(string(out))
}

// eventually retries cond until it holds or the time is up.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshot saves the display to build/screenshots/name.png for people to look at; with a window
// title, only that window, whole, at its real size (what README and AppStream show).
func screenshot(t *testing.T, name string, title ...string) {
	t.Helper()
	if _, err := exec.LookPath("import"); err != nil {
		t.Logf("no screenshot: ImageMagick's import is not installed")
		return
	}
	dir := filepath.Join("..", "build", "screenshots")
	_ = os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, name+".png")
	args := []string{"-window", "root"}
	if len(title) > 0 {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^"+title[0]+"$").Output()
		ids := strings.Fields(string(out))
		if len(ids) == 0 {
			t.Errorf("no screenshot of %q: no such window", title[0])
			return
		}
		// A GL window may read back black on its own: crop the screen to it instead.
		geo, _ := exec.Command("xdotool", "getwindowgeometry", "--shell", ids[len(ids)-1]).Output()
		g := map[string]string{}
		for _, l := range strings.Split(string(geo), "\n") {
			if k, v, ok := strings.Cut(l, "="); ok {
				g[k] = v
			}
		}
		args = append(args, "-crop", g["WIDTH"]+"x"+g["HEIGHT"]+"+"+g["X"]+"+"+g["Y"], "+repage")
	}
	if out, err := exec.Command("import", append(args, path)...).CombinedOutput(); err != nil {
		t.Logf("screenshot failed: %v %s", err, out)
		return
	}
	t.Logf("screenshot: %s", path)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func netDial(path string) (interface{ Close() error }, error) { return net.Dial("unix", path) }
