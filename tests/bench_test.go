package tests

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// BenchmarkTokenCommand times the whole `tokentray token NAME` process for a cached token with the
// app running, against a hello-world Go program built in the same run and oidc-agent's oidc-token,
// alternating them so that all see the same machine load. It reports medians, p95 and ratios of
// medians; the whole program answering the same command (tokentray-tray) is timed too, and exec
// (against token plus the command) and api (against token plus curl making the same request).
func BenchmarkTokenCommand(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o644)
	hello := filepath.Join(dir, "hello")
	build := exec.Command("go", "build", "-o", hello, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building hello-world: %v\n%s", err, out)
	}

	fake := fakeidp.Start(fakeidp.Avaya)
	defer fake.Close()
	e := newCLIEnv(b)
	e.addAvaya("bench", fake)
	// as on a desktop: a panel on the bus, so the app shows its tray item and no window, whose
	// drawing would compete with every program timed here
	testenv.StartWatcher(b, e.bus)
	p, _ := e.startApp()
	e.must(0, "", "login", "bench")
	defer func() { _ = p.cmd.Process.Kill() }()

	timeIt := func(path string, args ...string) time.Duration {
		c := exec.Command(path, args...)
		c.Env = e.env()
		start := time.Now()
		if err := c.Run(); err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		return time.Since(start)
	}
	// The programs timed are copies made side by side with write(2), as an installer writes them
	// (dpkg, make install). How a file's pages came into the page cache changes how fast the
	// kernel maps them: a file the Go linker wrote through mmap starts a few percent slower, more
	// so the larger it is. Both copies are in the same state.
	hello = installCopy(b, hello, dir)
	lean := installCopy(b, binary(e.t), dir)
	whole := filepath.Join(filepath.Dir(binary(e.t)), "tokentray-tray")
	// beside the copy, as installed, the whole program that the commands other than token and exec go to
	if err := os.Symlink(whole, filepath.Join(dir, "tokentray-tray")); err != nil {
		b.Fatal(err)
	}
	agent := oidcToken(b)
	curl, _ := exec.LookPath("curl")
	me := fake.URL + "/api/users/me"
	var tok, hw, full, oidc, execs, truths, apis, curls []time.Duration
	for b.Loop() {
		hw = append(hw, timeIt(hello))
		tok = append(tok, timeIt(lean, "token", "bench"))
		full = append(full, timeIt(whole, "token", "bench"))
		// exec's cost beyond its command's, api's beyond the request's own (curl with the token)
		truths = append(truths, timeIt("/bin/true"))
		execs = append(execs, timeIt(lean, "exec", "bench", "--", "/bin/true"))
		apis = append(apis, timeIt(lean, "api", "bench", "/api/users/me"))
		if curl != "" {
			value, _ := e.must(0, "", "token", "bench")
			curls = append(curls, timeIt(curl, "-sf", "-o", "/dev/null", "-H", "Authorization: Bearer "+strings.TrimSpace(value), me))
		}
		if agent != nil {
			c := exec.Command(agent.Path, agent.Args[1:]...)
			c.Env = agent.Env
			start := time.Now()
			if err := c.Run(); err != nil {
				b.Fatalf("oidc-token: %v", err)
			}
			oidc = append(oidc, time.Since(start))
		}
	}
	b.ReportMetric(med(tok), "token-ms-median")
	b.ReportMetric(p95(tok), "token-ms-p95")
	b.ReportMetric(med(hw), "hello-ms-median")
	b.ReportMetric(p95(hw), "hello-ms-p95")
	b.ReportMetric(med(tok)/med(hw), "token/hello")
	b.ReportMetric(med(full), "whole-program-ms-median")
	// exec is token (a start and one round trip) and then the command in its place: ~1 means it
	// adds nothing beyond; api is token and the request, made by the app: compared with curl
	// making it with the same token.
	b.ReportMetric(med(execs), "exec-true-ms-median")
	b.ReportMetric(med(execs)/(med(tok)+med(truths)), "exec/(token+true)")
	b.ReportMetric(med(apis), "api-ms-median")
	if len(curls) > 0 {
		b.ReportMetric(med(curls), "curl-ms-median")
		b.ReportMetric(med(apis)/(med(tok)+med(curls)), "api/(token+curl)")
	}
	if len(oidc) > 0 {
		b.ReportMetric(med(oidc), "oidc-token-ms-median")
		b.ReportMetric(med(tok)/med(oidc), "token/oidc-token")
	}
}

// med and p95 are the median and the 95th percentile of d, in milliseconds.
func med(d []time.Duration) float64 {
	slices.Sort(d)
	return float64(d[len(d)/2].Microseconds()) / 1000
}

func p95(d []time.Duration) float64 {
	slices.Sort(d)
	return float64(d[len(d)*95/100].Microseconds()) / 1000
}

// installCopy copies the program at path into dir with write(2), as an installer does, and
// returns the copy's path.
func installCopy(b *testing.B, path, dir string) string {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "installed-"+filepath.Base(path))
	if err := os.WriteFile(out, data, 0o755); err != nil {
		b.Fatal(err)
	}
	return out
}

// oidcToken makes oidc-agent (the tool people would otherwise use) hold a grant of the certified
// provider the suite uses, and returns how to run its oidc-token for it; nil when oidc-agent,
// Node.js or Chromium is missing.
func oidcToken(b *testing.B) *exec.Cmd {
	for _, c := range []string{"oidc-agent", "oidc-gen", "oidc-token", "node"} {
		if _, err := exec.LookPath(c); err != nil {
			b.Logf("no oidc-token figures: %s is not installed", c)
			return nil
		}
	}
	op := testenv.StartOIDCProvider(b, time.Hour)
	a := newOPAccount(b, op, testenv.StartChromium(b), testenv.OIDCConfidentialClient, testenv.OIDCConfidentialSecret, nil)
	a.signIn(b)
	rt := a.stored(b).RefreshToken.Reveal() // the grant goes to oidc-agent; this manager is done with it
	home := b.TempDir()
	env := append(testenv.HomeEnv(home), "OIDC_ENCRYPTION_PW=bench-password")
	agent := exec.Command("oidc-agent")
	agent.Env = env
	out, err := agent.Output()
	if err != nil {
		b.Fatalf("oidc-agent: %v\n%s", err, out)
	}
	for _, kv := range regexp.MustCompile(`(OIDC_SOCK|OIDCD_PID)=([^;\s]+)`).FindAllStringSubmatch(string(out), -1) {
		env = append(env, kv[1]+"="+kv[2])
		if kv[1] == "OIDCD_PID" {
			pid, _ := strconv.Atoi(kv[2])
			b.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) })
		}
	}
	gen := exec.Command("oidc-gen", "bench", "--issuer="+op.Issuer, "--client-id="+a.client, "--client-secret="+a.secret,
		"--rt="+rt, "--scope=openid offline_access", "--pw-env", "--confirm-default", "--no-url-call")
	gen.Env = env
	if out, err := gen.CombinedOutput(); err != nil {
		b.Fatalf("oidc-gen: %v\n%s", err, out)
	}
	tok := exec.Command("oidc-token", "bench")
	tok.Env = env
	if out, err := tok.Output(); err != nil || !a.active(b, auth.Secret(strings.TrimSpace(string(out)))) {
		b.Fatalf("oidc-token: %v %q", err, out)
	}
	return tok
}

// BenchmarkTokenBesideSlowClients times `tokentray token NAME` while the app's socket is under the
// load a careless or hostile program of the user's can put on it: 504 connections that send
// nothing (63 processes of 8, the most the app lets one process hold, each made again when the app
// closes it) and one client that sends a byte a second. It reports the token's median and p95 then,
// beside the same command's on a quiet socket in the same run (goal: p95 under load ≤ 50 ms).
func BenchmarkTokenBesideSlowClients(b *testing.B) {
	fake := fakeidp.Start(fakeidp.Avaya)
	defer fake.Close()
	e := newCLIEnv(b)
	e.addAvaya("bench", fake)
	testenv.StartWatcher(b, e.bus)
	p, sock := e.startApp()
	e.must(0, "", "login", "bench")
	defer func() { _ = p.cmd.Process.Kill() }()
	lean := installCopy(b, binary(e.t), b.TempDir())
	timeIt := func() time.Duration {
		c := exec.Command(lean, "token", "bench")
		c.Env = e.env()
		start := time.Now()
		if err := c.Run(); err != nil {
			b.Fatalf("token: %v", err)
		}
		return time.Since(start)
	}
	var quiet, loaded []time.Duration
	for range 100 {
		quiet = append(quiet, timeIt())
	}
	for i := range 64 {
		mode := "TOKENTRAY_IDLE_CLIENT=" + sock
		if i == 63 {
			mode = "TOKENTRAY_SLOW_CLIENT=" + sock
		}
		c := exec.Command(os.Args[0])
		c.Env = append(e.env(), mode)
		if err := c.Start(); err != nil {
			b.Fatal(err)
		}
		defer func() { _ = c.Process.Kill(); _ = c.Wait() }()
	}
	time.Sleep(2 * time.Second) // every connection made
	for b.Loop() {
		loaded = append(loaded, timeIt())
	}
	b.ReportMetric(med(quiet), "quiet-token-ms-median")
	b.ReportMetric(p95(quiet), "quiet-token-ms-p95")
	b.ReportMetric(med(loaded), "loaded-token-ms-median")
	b.ReportMetric(p95(loaded), "loaded-token-ms-p95")
	b.ReportMetric(float64(slices.Max(loaded).Microseconds())/1000, "loaded-token-ms-max")
}

// idleClient holds 8 connections to the app's socket at sock that send nothing, making each again
// when the app closes it; slowClient sends a byte a second on one, and makes it again likewise.
func idleClient(sock string, n int, every time.Duration) {
	for range n {
		go func() {
			for {
				c, err := net.Dial("unix", sock)
				if err != nil {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				for every > 0 {
					if _, err := c.Write([]byte("{")); err != nil {
						break
					}
					time.Sleep(every)
				}
				_, _ = io.Copy(io.Discard, c) // until the app closes it
				c.Close()
			}
		}()
	}
	select {}
}
