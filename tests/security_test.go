package tests

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// spoofApp, run as another user, listens at sock and answers every request as an attacker's
// Tokentray would: with its own "token" and "identity".
func spoofApp(sock string) {
	ln, err := net.Listen("unix", sock)
	if err != nil {
		fmt.Println("spoof:", err)
		os.Exit(1)
	}
	fmt.Println("listening")
	for {
		c, err := ln.Accept()
		if err != nil {
			os.Exit(1)
		}
		_, _ = bufio.NewReader(c).ReadString('\n')
		_, _ = io.WriteString(c, `{"v":1,"token":{"account":"Work","kind":"bearer","token":"attackers-token","type":"Bearer"},`+
			`"accounts":[{"id":"x","name":"Work","provider":"avaya","state":"valid","identity":"attacker"}]}`+"\n")
		c.Close()
	}
}

// startSpoof runs spoofApp as the second local user at dir/tokentray.sock. own says who owns dir
// afterwards: the other user (a folder they made first), or this user (a socket they slipped in).
func startSpoof(t *testing.T, dir string, own bool) {
	t.Helper()
	uid, gid := testenv.OtherUser(t)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, int(uid), int(gid)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil { // so they reach dir
		t.Fatal(err)
	}
	out := asOtherUser(t, "TOKENTRAY_SPOOF_SOCKET="+filepath.Join(dir, "tokentray.sock"))
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "listening\n" {
		t.Fatalf("the other user's server: %q", line)
	}
	if own {
		if err := os.Chown(dir, os.Getuid(), os.Getgid()); err != nil {
			t.Fatal(err)
		}
	}
}

// asOtherUser runs this test binary as the second local user with env (the role it plays), until
// the test ends, and returns its stdout.
func asOtherUser(t *testing.T, env ...string) io.Reader {
	t.Helper()
	// The other user must be able to run this test binary: a copy they can read.
	bin := filepath.Join(publicDir(t), "tests.test")
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := testenv.AsOtherUser(t, exec.Command(bin))
	cmd.Env = env
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return out
}

// publicDir is a temporary folder every user can enter.
func publicDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "tokentray-public-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	if err := os.Chmod(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// Another local user who gets to the socket's place first (a folder of their own, or a socket of
// theirs in ours) is not talked to: the command sends nothing, prints no "token" of theirs, and
// says why.
func TestCommandRefusesASpoofedSocket(t *testing.T) {
	for _, tc := range []struct {
		name string
		own  bool
		why  string
	}{
		{"a folder another user made", false, "belongs to user"},
		{"another user's socket in our folder", true, "not as you"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newCLIEnv(t)
			dir := filepath.Join(publicDir(t), "run")
			startSpoof(t, dir, tc.own)
			for _, args := range [][]string{{"token", "Work"}, {"login", "Work"}, {"list"}} {
				cmd := exec.Command(binary(t), args...)
				cmd.Env = append(e.env(), "TOKENTRAY_RUNTIME_DIR="+dir)
				out, err := cmd.CombinedOutput()
				if err == nil || strings.Contains(string(out), "attacker") || !strings.Contains(string(out), tc.why) {
					t.Fatalf("tokentray %s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
		})
	}
}

// A command from cron has no XDG_RUNTIME_DIR, no session bus and no display: it still finds the
// app that the desktop session started (and so takes the same locks), and gets its token from it.
func TestACommandFromCronReachesTheApp(t *testing.T) {
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d", os.Getuid())); err == nil {
		t.Skip("skipped: this user has /run/user/<uid>, where a real Tokentray may run; the test needs the home-based place")
	}
	fake, e := avayaUser(t)
	e.homeRuntime = true // the app and every command find the runtime dir by themselves
	p, _ := e.startApp()
	e.must(0, "", "login", "work-avaya")
	cron := []string{"HOME=" + e.home, "PATH=/usr/bin:/bin", "LOGNAME=root", "SHELL=/bin/sh"}
	cmd := exec.Command(binary(t), "token", "work-avaya")
	cmd.Env = cron
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || !fake.AccessValid(strings.TrimSpace(string(out))) {
		t.Fatalf("from cron: %v %q %s\napp:\n%s\nlog:\n%s", err, out, stderr.String(), p.out.String(), readLog(t, e.home))
	}
}

// A provider (or anyone on an http:// base URL) may answer any printable token: `eval` of
// --format env assigns it and runs none of it.
func TestEnvFormatIsSafeToEval(t *testing.T) {
	fake, e := avayaUser(t)
	mark := filepath.Join(t.TempDir(), "ran")
	hostile := "a$(touch${IFS}" + mark + ")`touch${IFS}" + mark + "`'\"$HOME;b"
	fake.Tune(func(s *fakeidp.Server) { s.NextAccessToken = hostile })
	e.must(0, "", "login", "work-avaya")
	env, _ := e.must(0, "", "token", "work-avaya", "--format", "env")
	out, err := exec.Command("sh", "-c", `eval "$1"; printf %s "$TOKENTRAY_TOKEN"`, "sh", env).Output()
	if err != nil || string(out) != hostile {
		t.Fatalf("eval gave %q (%v), want the token itself", out, err)
	}
	if _, err := os.Stat(mark); err == nil {
		t.Fatal("eval of --format env ran the provider's code")
	}
}

// A provider's hostile identity (escape sequences, a bidi override, a newline) reaches no
// terminal as such, and a name with them is refused when added.
func TestHostileNamesAndIdentitiesAreNotPrinted(t *testing.T) {
	e := newCLIEnv(t)
	fake := fakeidp.Start(fakeidp.OIDC)
	t.Cleanup(fake.Close)
	logs.Track(fake.Issued)
	fake.Tune(func(s *fakeidp.Server) { s.User.Name = "Evil\x1b]0;pwned\x07\u202eName\nSigned in as: root" })
	e.must(0, "", "add", "work-oidc", "--provider", "oidc", "--set", "issuer="+fake.URL, "--set", "client_id="+fake.ClientID)
	_, errs := e.must(0, "", "login", "work-oidc")
	status, _ := e.must(0, "", "status", "work-oidc")
	list, _ := e.must(0, "", "list")
	for what, out := range map[string]string{"login": errs, "status": status, "list": list} {
		if strings.ContainsAny(out, "\x1b\x07\u202e") || strings.Contains(out, "\nSigned in as: root") {
			t.Errorf("%s printed the provider's control characters: %q", what, out)
		}
	}
	_, errs = e.must(2, "", "add", "Evil\x1b[2J", "--provider", "avaya", "--set", "client_id=x")
	if !strings.Contains(errs, "printable text") || strings.Contains(errs, "\x1b") {
		t.Fatalf("a name with an escape sequence: %q", errs)
	}
	e.must(2, "", "add", strings.Repeat("n", 10000), "--provider", "avaya", "--set", "client_id=x")
	e.must(2, "", "add", "two\nlines", "--provider", "avaya", "--set", "client_id=x")
}

// A secret longer than add takes is refused whole, not cut, and nothing is added.
func TestAnOversizedSecretIsRefusedWhole(t *testing.T) {
	e := newCLIEnv(t)
	_, errs := e.must(2, strings.Repeat("s", 70<<10)+"\n", "add", "big", "--provider", "avaya", "--set", "client_id=x", "--secret", "client_secret", "--secret-stdin")
	if !strings.Contains(errs, "longer than 64 KiB") {
		t.Fatalf("stderr: %s", errs)
	}
	if out, _ := e.must(0, "", "list", "--json"); strings.Contains(out, "big") {
		t.Fatalf("added anyway: %s", out)
	}
}
