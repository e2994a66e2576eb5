package testenv

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Wine is a Windows for one test: Debian's Wine with a prefix of the test's own (its registry,
// Credential Manager and pipes seen by no other test), copied from one booted once and kept in the
// user's cache folder until Wine or the shim changes. Its wineserver is stopped when the test ends.
type Wine struct {
	Prefix string // the prefix, a host folder
	env    []string
}

// StartWine gives the test a Wine prefix; it skips or fails (under make test) without Wine.
func StartWine(t testing.TB) *Wine {
	t.Helper()
	Command(t, "wine")
	Command(t, "x86_64-w64-mingw32-gcc")
	template, err := wineTemplate()
	if err != nil {
		t.Fatal(err)
	}
	w := &Wine{Prefix: filepath.Join(t.TempDir(), "prefix")}
	if out, err := exec.Command("cp", "-a", template, w.Prefix).CombinedOutput(); err != nil {
		t.Fatalf("copying the Wine prefix: %v %s", err, out)
	}
	w.env = append(os.Environ(), wineEnv(w.Prefix)...)
	t.Cleanup(func() {
		kill := exec.Command("wineserver", "-k")
		kill.Env = w.env
		_ = kill.Run()
		wait := exec.Command("wineserver", "-w")
		wait.Env = w.env
		_ = wait.Run()
	})
	return w
}

// wineEnv: no debug output, and no offer to install Mono or Gecko, which a test does not need.
func wineEnv(prefix string) []string {
	return []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml="}
}

// Command runs the Windows program at the host path exe, or a program of Wine's own (reg,
// msiexec), under Wine.
func (w *Wine) Command(exe string, args ...string) *exec.Cmd {
	cmd := exec.Command("wine", append([]string{exe}, args...)...)
	cmd.Env = w.env
	return cmd
}

// Setenv sets a variable for every program the prefix runs after.
func (w *Wine) Setenv(kv ...string) { w.env = append(w.env, kv...) }

// Reg runs reg.exe with args (query, add, delete) and returns what it printed, without the CRs.
func (w *Wine) Reg(args ...string) (string, error) {
	out, err := w.Command("reg", args...).CombinedOutput()
	return strings.ReplaceAll(string(out), "\r", ""), err
}

// Host is the Windows path p (C:\…) as a host path in the prefix.
func (w *Wine) Host(p string) string {
	drive, rest, ok := strings.Cut(p, `:\`)
	if !ok || !strings.EqualFold(drive, "C") {
		return ""
	}
	return filepath.Join(w.Prefix, "drive_c", filepath.FromSlash(strings.ReplaceAll(rest, `\`, "/")))
}

// UserDir is the user's profile folder, C:\users\NAME, as a host path.
func (w *Wine) UserDir() string {
	ms, _ := filepath.Glob(filepath.Join(w.Prefix, "drive_c", "users", "*"))
	for _, m := range ms {
		if filepath.Base(m) != "Public" {
			return m
		}
	}
	return ""
}

// WinPath is the host path p as Windows programs under Wine see it: Z:\ is the host's root.
func WinPath(p string) string {
	abs, _ := filepath.Abs(p)
	return `Z:` + strings.ReplaceAll(abs, "/", `\`)
}

var template struct {
	once sync.Once
	dir  string
	err  error
}

// wineTemplate boots a prefix once: wineboot, then the ProcessPrng shim (wineshim/) in system32.
func wineTemplate() (string, error) {
	template.once.Do(func() {
		_, here, _, _ := runtime.Caller(0)
		shim := filepath.Join(filepath.Dir(here), "wineshim")
		version, err := exec.Command("wine", "--version").Output()
		if err != nil {
			template.err = fmt.Errorf("wine --version: %v", err)
			return
		}
		src, _ := os.ReadFile(filepath.Join(shim, "processprng.c"))
		def, _ := os.ReadFile(filepath.Join(shim, "bcryptprimitives.def"))
		sum := sha256.Sum256([]byte(string(version) + string(src) + string(def)))
		cache, err := os.UserCacheDir()
		if err != nil {
			template.err = err
			return
		}
		template.dir = filepath.Join(cache, "tokentray-tests", "wine-"+hex.EncodeToString(sum[:6]))
		if _, err := os.Stat(filepath.Join(template.dir, "system.reg")); err == nil {
			return
		}
		template.err = bootPrefix(template.dir, shim)
	})
	return template.dir, template.err
}

func bootPrefix(dir, shim string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "boot-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	prefix := filepath.Join(tmp, "prefix")
	env := append(os.Environ(), wineEnv(prefix)...)
	dll := filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	for _, step := range [][]string{
		{"wine", "wineboot", "-i"},
		{"x86_64-w64-mingw32-gcc", "-O2", "-shared", "-s", "-o", dll, filepath.Join(shim, "processprng.c"), filepath.Join(shim, "bcryptprimitives.def"), "-ladvapi32"},
		{"wine", "reg", "add", `HKCU\Software\Wine\DllOverrides`, "/v", "bcryptprimitives", "/d", "native,builtin", "/f"},
		{"wineserver", "-w"},
	} {
		cmd := exec.Command(step[0], step[1:]...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("making a Wine prefix: %s: %v\n%s", strings.Join(step, " "), err, out)
		}
	}
	if err := os.Rename(prefix, dir); err != nil && !os.IsExist(err) {
		return err
	}
	return nil
}

// WineOverlay is a `go build -overlay` file for test programs run under Wine. Go's os.RemoveAll
// deletes a file with FileDispositionInformationEx, which Wine 8 answers STATUS_NOT_IMPLEMENTED,
// a status Go falls back on for no other reason (it does for the ones Windows gives when a file
// system lacks it): every t.TempDir's cleanup failed. The overlay adds that one status, in test
// programs only; Windows itself implements the call.
func WineOverlay(t testing.TB) string {
	t.Helper()
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	orig := filepath.Join(strings.TrimSpace(string(goroot)), "src", "internal", "syscall", "windows", "at_windows.go")
	src, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	const was = "STATUS_NOT_SUPPORTED:     // the file system doesn't support FILE_DISPOSITION_INFORMATION_EX or one of the flags\n"
	if !strings.Contains(string(src), was) {
		t.Fatalf("%s changed: WineOverlay's fix no longer applies; check whether Go falls back under Wine now", orig)
	}
	fixed := strings.Replace(string(src), was, "STATUS_NOT_SUPPORTED,     // the file system doesn't support FILE_DISPOSITION_INFORMATION_EX or one of the flags\n\t\tNTStatus(0xC0000002):     // STATUS_NOT_IMPLEMENTED: Wine 8 (tests/testenv/wine.go)\n", 1)
	dir := t.TempDir()
	patched := filepath.Join(dir, "at_windows.go")
	if err := os.WriteFile(patched, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	overlay := filepath.Join(dir, "overlay.json")
	j := fmt.Sprintf(`{"Replace":{%q:%q}}`, orig, patched)
	if err := os.WriteFile(overlay, []byte(j), 0o600); err != nil {
		t.Fatal(err)
	}
	return overlay
}
