package tests

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tokentray/app/model"
	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// cliEnv is a user of their own for the binaries: a HOME, a keyring on a private bus, a runtime
// dir for the socket, and this test binary as the browser.
type cliEnv struct {
	t      testing.TB
	home   string
	bus    string
	mu     sync.Mutex
	stderr strings.Builder // everything the commands wrote to stderr, checked for tokens
	// homeRuntime leaves TOKENTRAY_RUNTIME_DIR unset, so that the app and the commands find the
	// runtime dir as a user's would (the tests' own is set to keep them apart).
	homeRuntime bool
	app         *proc // the app startApp started last
}

func newCLIEnv(t testing.TB) *cliEnv {
	t.Helper()
	home := t.TempDir()
	return &cliEnv{t: t, home: home, bus: testenv.PrivateKeyring(t, home)}
}

// checkNoTokenLeaked fails if a token the fake issued is in the commands' stderr or the app's log.
func (e *cliEnv) checkNoTokenLeaked(fake *fakeidp.Server) {
	e.t.Helper()
	logFile, _ := os.ReadFile(filepath.Join(e.home, ".local", "state", "tokentray", "tokentray.log"))
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, tok := range fake.Issued() {
		if strings.Contains(e.stderr.String(), tok) || strings.Contains(string(logFile), tok) {
			e.t.Errorf("a token the fake issued (%s…) is in the commands' stderr or the app's log", tok[:6])
		}
	}
}

func (e *cliEnv) env() []string {
	env := append(testenv.HomeEnv(e.home), "DBUS_SESSION_BUS_ADDRESS="+e.bus,
		"BROWSER="+os.Args[0], "TOKENTRAY_TEST_BROWSER=allow")
	if e.homeRuntime {
		env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "TOKENTRAY_RUNTIME_DIR=") })
	}
	return env
}

// startApp starts the tray app as this user, with this test binary as its browser, and waits for
// its socket; it returns the process and the socket's path.
func (e *cliEnv) startApp() (*proc, string) {
	e.t.Helper()
	extraEnv = []string{"BROWSER=" + os.Args[0], "TOKENTRAY_TEST_BROWSER=allow"}
	defer func() { extraEnv = nil }()
	sock := filepath.Join(e.home, "run", "tokentray", "tokentray.sock")
	if e.homeRuntime {
		unsetEnv = []string{"TOKENTRAY_RUNTIME_DIR"}
		defer func() { unsetEnv = nil }()
		sock = filepath.Join(e.home, ".local", "state", "tokentray", "run", "tokentray.sock")
	}
	p := startApp(e.t, e.home, e.bus)
	eventually(e.t, 20*time.Second, "the app's socket", func() bool { _, err := os.Stat(sock); return err == nil })
	e.app = p
	return p, sock
}

// restartApp kills the app (as a crash would) and starts it again.
func (e *cliEnv) restartApp() {
	e.t.Helper()
	_ = e.app.cmd.Process.Kill()
	<-e.app.done
	e.startApp()
}

// run runs `tokentray args…` with stdin and returns stdout, stderr and the exit code.
func (e *cliEnv) run(stdin string, args ...string) (string, string, int) {
	e.t.Helper()
	cmd := exec.Command(binary(e.t), args...)
	cmd.Env = e.env()
	out, errs, code := runCmd(e.t, cmd, stdin)
	e.mu.Lock()
	e.stderr.WriteString(errs)
	e.mu.Unlock()
	return out, errs, code
}

// must runs a command that must exit with want.
func (e *cliEnv) must(want int, stdin string, args ...string) (string, string) {
	e.t.Helper()
	out, errs, code := e.run(stdin, args...)
	if code != want {
		e.t.Fatalf("tokentray %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errs)
	}
	return out, errs
}

// add adds an account of kind with settings (and the secret named secretKey, "" for none, on stdin).
func (e *cliEnv) add(name, kind string, settings map[string]string, secretKey, secret string) {
	e.t.Helper()
	args := []string{"add", name, "--provider", kind}
	for k, v := range settings {
		args = append(args, "--set", k+"="+v)
	}
	stdin := ""
	if secret != "" {
		args, stdin = append(args, "--secret", secretKey, "--secret-stdin"), secret+"\n"
	}
	e.must(0, stdin, args...)
}

func (e *cliEnv) addAvaya(name string, fake *fakeidp.Server) {
	e.t.Helper()
	args := []string{"add", name, "--provider", "avaya", "--secret", "client_secret", "--secret-stdin"}
	for k, v := range fake.Settings() {
		args = append(args, "--set", k+"="+v)
	}
	e.must(0, fake.ClientSecret+"\n", args...)
}

// listedAccount is an account as `tokentray list --json` prints it.
type listedAccount struct {
	ID, Name, Provider, State, Identity, Error string
}

// checkTokenFormats checks every --format against the token the fake issued.
func checkTokenFormats(t *testing.T, e *cliEnv, name string, fake *fakeidp.Server) string {
	t.Helper()
	raw, _ := e.must(0, "", "token", name)
	tok := strings.TrimSuffix(raw, "\n")
	if strings.Contains(tok, "\n") || !fake.AccessValid(tok) {
		t.Fatalf("token printed %q: want one line with a token the provider honours", raw)
	}
	for format, want := range map[string]string{
		"bearer": "Bearer " + tok + "\n", "header": "Authorization: Bearer " + tok + "\n", "env": "TOKENTRAY_TOKEN='" + tok + "'\n",
	} {
		if out, _ := e.must(0, "", "token", name, "--format", format); out != want {
			t.Errorf("--format %s printed %q, want %q", format, out, want)
		}
	}
	out, _ := e.must(0, "", "token", "--format", "json", name)
	var j model.Credential
	if err := json.Unmarshal([]byte(out), &j); err != nil || j.Value != tok || j.Scope == "" || j.Identity == "" || time.Until(j.Expiry) < time.Minute {
		t.Errorf("--format json printed %q", out)
	}
	return tok
}

// avayaUser is a user of their own with an account "work-avaya" at a fake Avaya, added with
// `tokentray add`; at the end the commands' stderr and the app's log are checked for its tokens.
func avayaUser(t *testing.T) (*fakeidp.Server, *cliEnv) {
	t.Helper()
	fake := fakeidp.Start(fakeidp.Avaya)
	t.Cleanup(fake.Close)
	logs.Track(fake.Issued)
	e := newCLIEnv(t)
	t.Cleanup(func() { e.checkNoTokenLeaked(fake) })
	e.addAvaya("work-avaya", fake)
	return fake, e
}

func TestCommandsWithoutTheApp(t *testing.T) {
	fake, e := avayaUser(t)
	cfg, _ := os.ReadFile(filepath.Join(e.home, ".config", "tokentray", "accounts.toml"))
	if strings.Contains(string(cfg), fake.ClientSecret) || !strings.Contains(string(cfg), "work-avaya") {
		t.Fatalf("accounts file after add:\n%s", cfg)
	}
	// The same validation as the accounts file, with the same errors.
	_, errs := e.must(2, "", "add", "WORK-AVAYA", "--provider", "avaya", "--set", "client_id=x")
	if !strings.Contains(errs, "two accounts are called") {
		t.Errorf("duplicate name: %s", errs)
	}
	e.must(2, "", "add", "x", "--provider", "gitlab")
	// Each command's own usage, three ways; a provider's settings with add's.
	for _, args := range [][]string{{"help", "token"}, {"token", "--help"}, {"token", "work-avaya", "--help"}} {
		if out, _ := e.must(0, "", args...); !strings.HasPrefix(out, "Usage: tokentray token NAME") || !strings.Contains(out, "Examples:") {
			t.Errorf("tokentray %s:\n%s", strings.Join(args, " "), out)
		}
	}
	if out, _ := e.must(0, "", "add", "x", "--provider", "oidc", "--help"); !strings.Contains(out, "Usage: tokentray add") || !strings.Contains(out, "issuer (required)") {
		t.Errorf("add --provider oidc --help:\n%s", out)
	}
	if out, _ := e.must(0, "", "providers", "avaya"); !strings.Contains(out, "client_secret (secret: give it with --secret client_secret --secret-stdin)") {
		t.Errorf("providers avaya:\n%s", out)
	}
	e.must(2, "", "providers", "gitlab")
	e.must(2, "", "add", "x", "--provider", "avaya", "--set", "client_id=x", "--secret", "client_secret")
	e.must(2, "", "add", "x", "--provider", "avaya", "--set", "client_id=x", "--set", "client_secret=inline")

	_, errs = e.must(3, "", "token", "work-avaya") // signed out: 3, as with the app running
	if !strings.Contains(errs, "work-avaya: not signed in; run `tokentray login work-avaya`") {
		t.Errorf("signed-out message without the app: %s", errs)
	}
	_, errs = e.must(0, "", "login", "work-avaya")
	if !strings.Contains(errs, "Signed in to work-avaya as Test User <test@avaya.com>") {
		t.Errorf("login reported %q", errs)
	}
	checkTokenFormats(t, e, "Work-Avaya", fake)

	out, _ := e.must(0, "", "list", "--json")
	var accs []listedAccount
	if err := json.Unmarshal([]byte(out), &accs); err != nil || len(accs) != 1 || accs[0].State != "valid" {
		t.Fatalf("list --json: %s", out)
	}
	if out, _ = e.must(0, "", "status", accs[0].ID); !strings.Contains(out, "State:      valid") {
		t.Errorf("status by id: %s", out)
	}

	// Without the app, concurrent commands share the per-account lock: one renews, the others
	// find the renewed token in the keyring.
	fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 3 * time.Hour })
	before := fake.Count("/oauth2/access_token", "refresh_token")
	if seen := concurrentTokens(e, 50, "work-avaya", "2h"); len(seen) != 1 {
		t.Fatalf("50 concurrent commands without the app gave %d different answers: %v", len(seen), seen)
	}
	if n := fake.Count("/oauth2/access_token", "refresh_token") - before; n != 1 {
		t.Fatalf("50 concurrent commands without the app caused %d refreshes, want 1", n)
	}
	fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = time.Hour })
	// More than the provider's tokens live: one renewal finds that out, then it fails at once.
	for range 3 {
		if _, errs := e.must(1, "", "token", "work-avaya", "--min-valid", "4h"); !strings.Contains(errs, "asked 4h; this provider's tokens live 1h") {
			t.Errorf("an ask longer than the lifetime: %s", errs)
		}
	}
	if n := fake.Count("/oauth2/access_token", "refresh_token") - before; n != 2 {
		t.Fatalf("%d refreshes for three asks beyond the lifetime, want 1", n-1)
	}

	e.addAvaya("work-backup", fake)
	// Without the app nothing renews by itself: a token past its expiry is listed as expired.
	fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 2 * time.Second })
	e.must(0, "", "login", "work-backup")
	fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = time.Hour })
	time.Sleep(2500 * time.Millisecond)
	out, _ = e.must(0, "", "list", "--json")
	if err := json.Unmarshal([]byte(out), &accs); err != nil || len(accs) != 2 || accs[1].State != "expired" {
		t.Fatalf("an expired token without the app: %s", out)
	}
	if out, _ := e.must(0, "", "token", "backup"); !fake.AccessValid(strings.TrimSpace(out)) { // a word of the name; renewed when asked
		t.Fatalf("token backup: %q", out)
	}
	_, errs = e.must(4, "", "token", "work")
	if !strings.Contains(errs, "matches several accounts: work-avaya, work-backup") {
		t.Errorf("ambiguous: %s", errs)
	}
	_, errs = e.must(4, "", "token", "nope")
	if !strings.Contains(errs, "the accounts are: work-avaya, work-backup") {
		t.Errorf("unknown: %s", errs)
	}
	e.must(2, "", "token")
	e.must(2, "", "token", "work-avaya", "--format", "xml")
	e.must(2, "", "frobnicate")

	fake.RevokeAll()
	_, errs = e.must(3, "", "token", "work-avaya", "--min-valid", "1h")
	if !strings.Contains(errs, "sign-in required") {
		t.Errorf("exit 3 message: %s", errs)
	}
	e.must(0, "", "logout", "work-avaya")
	e.must(3, "", "token", "work-avaya")
	e.must(0, "", "remove", "work-backup")
	if out, _ := e.must(0, "", "list"); strings.Contains(out, "work-backup") {
		t.Errorf("removed account still listed:\n%s", out)
	}
}

func TestCommandsWithTheAppRunning(t *testing.T) {
	testenv.Display(t)
	fake, e := avayaUser(t)

	p, sock := e.startApp()

	// login through the app: the app opens the browser, the command waits and reports.
	if _, errs := e.must(0, "", "login", "work"); !strings.Contains(errs, "Signed in to work-avaya") {
		t.Errorf("login through the app: %s", errs)
	}
	if !strings.Contains(p.out.String()+readLog(t, e.home), "signed in") {
		t.Error("the app did not do the sign-in")
	}
	checkTokenFormats(t, e, "work-avaya", fake)
	e.must(4, "", "token", "nope")
	e.must(2, "", "token", "work-avaya", "--min-valid", "-1s")

	// 200 processes ask at once for more validity than the current token has: one refresh.
	fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 3 * time.Hour })
	before := fake.Count("/oauth2/access_token", "refresh_token")
	if seen := concurrentTokens(e, 200, "work-avaya", "2h"); len(seen) != 1 {
		t.Fatalf("200 concurrent commands gave %d different answers: %v", len(seen), seen)
	}
	if n := fake.Count("/oauth2/access_token", "refresh_token") - before; n != 1 {
		t.Fatalf("200 concurrent commands caused %d refreshes, want 1", n)
	}

	out, _ := e.must(0, "", "list", "--json")
	var accs []listedAccount
	if err := json.Unmarshal([]byte(out), &accs); err != nil || len(accs) != 1 || accs[0].State != "valid" || accs[0].Identity == "" {
		t.Fatalf("list --json through the app: %s", out)
	}
	if out, _ := e.must(0, "", "status", "WORK-AVAYA"); !strings.Contains(out, "Signed in as: Test User") {
		t.Errorf("status through the app: %s", out)
	}

	fake.RevokeAll()
	fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = time.Hour })
	if _, errs := e.must(3, "", "token", "work-avaya", "--min-valid", "4h"); !strings.Contains(errs, "sign-in required") {
		t.Errorf("exit 3 through the app: %s", errs)
	}
	if _, errs := e.must(0, "", "logout", "work-avaya"); !strings.Contains(errs, "Signed out of work-avaya") {
		t.Errorf("logout through the app: %s", errs)
	}
	if out, _ := e.must(0, "", "list"); !strings.Contains(out, "signed out") {
		t.Errorf("list after logout through the app:\n%s", out)
	}
	// signed out: the same code and words as without the app (TestCommandsWithoutTheApp)
	if _, errs := e.must(3, "", "token", "work-avaya"); !strings.Contains(errs, "work-avaya: not signed in; run `tokentray login work-avaya`") {
		t.Errorf("signed-out message through the app: %s", errs)
	}

	// A second launch brings the first forward instead of starting a second tray.
	if _, errs := e.must(0, ""); !strings.Contains(errs, "already running") {
		t.Errorf("second launch: %s", errs)
	}

	// kill -9 leaves the socket behind; the next start recovers it.
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("no stale socket after kill -9: %v", err)
	}
	p, _ = e.startApp()
	eventually(t, 20*time.Second, "a new app on the recovered socket", func() bool {
		_, _, code := e.run("", "list")
		return code == 0 && func() bool {
			c, err := netDial(sock)
			if err == nil {
				c.Close()
			}
			return err == nil
		}()
	})

	// quit ends the app, and returns once its process has ended; without an app it says so.
	if _, errs := e.must(0, "", "quit"); !strings.Contains(errs, "Tokentray has quit.") {
		t.Errorf("quit: %s", errs)
	}
	// ended: gone, or a zombie its parent (this test) has not reaped yet
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid)); err == nil && !strings.Contains(string(stat), ") Z ") {
		t.Errorf("quit returned while the app still ran: %s", stat)
	}
	eventually(t, 5*time.Second, "the app's end", func() bool {
		select {
		case <-p.done:
			return true
		default:
			return false
		}
	})
	if _, errs := e.must(0, "", "quit"); !strings.Contains(errs, "Tokentray is not running.") {
		t.Errorf("quit without the app: %s", errs)
	}
}

// concurrentTokens runs n `tokentray token` commands at once and counts the distinct answers.
func concurrentTokens(e *cliEnv, n int, name, minValid string) map[string]int {
	var wg sync.WaitGroup
	results := make(chan string, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, errs, code := e.run("", "token", name, "--min-valid", minValid)
			if code != 0 {
				results <- "FAIL " + errs
				return
			}
			results <- out
		}()
	}
	wg.Wait()
	close(results)
	seen := map[string]int{}
	for r := range results {
		seen[r]++
	}
	return seen
}

// login --no-browser prints the address and opens nothing; the person opens it (here: the test,
// as a browser on this computer would) and the command reports the sign-in, with the app running
// or without it.
func TestLoginWithoutOpeningABrowser(t *testing.T) {
	for _, withApp := range []bool{false, true} {
		fake, e := avayaUser(t)
		if withApp {
			e.startApp()
		}
		cmd := exec.Command(binary(t), "login", "work-avaya", "--no-browser")
		cmd.Env = e.env() // $BROWSER is the test's clicking browser: it must not run
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stderr)
		var said []string
		addr := ""
		for addr == "" && lines.Scan() {
			said = append(said, lines.Text())
			if u, ok := strings.CutPrefix(lines.Text(), "  "); ok && strings.HasPrefix(u, fake.URL) {
				addr = u
			}
		}
		if addr == "" || !strings.HasPrefix(said[len(said)-2], "Open this address in a browser on this computer to sign in:") {
			t.Fatalf("app %v: no address printed: %q", withApp, said)
		}
		time.Sleep(time.Second) // a browser would have fetched the page by now
		if n := fake.Count("/oauth2/authorize", ""); n != 0 {
			t.Fatalf("app %v: --no-browser opened the page %d times", withApp, n)
		}
		if err := fakeidp.Click(addr, true); err != nil {
			t.Fatal(err)
		}
		for lines.Scan() {
			said = append(said, lines.Text())
		}
		if err := cmd.Wait(); err != nil || !strings.Contains(strings.Join(said, "\n"), "Signed in to work-avaya as Test User") {
			t.Fatalf("app %v: %v\n%s", withApp, err, strings.Join(said, "\n"))
		}
	}
}

// exec runs a command with fresh credentials in its environment, never its arguments, exits with
// its status, with the app and without; every hand-out is in the record that audit prints.
func TestExecAndTheRecordOfHandOuts(t *testing.T) {
	fake, e := avayaUser(t)
	e.addAvaya("work-backup", fake)
	e.must(0, "", "login", "work-avaya")
	e.must(0, "", "login", "work-backup")
	dir := t.TempDir()
	for _, withApp := range []bool{false, true} {
		if withApp {
			e.startApp()
		}
		out, _ := e.must(0, "", "exec", "work-avaya", "--", "sh", "-c", `printf %s "$TOKENTRAY_TOKEN"; printf '\n%s' "$*"`, "sh", "one", "two")
		tok, args, _ := strings.Cut(out, "\n")
		if !fake.AccessValid(tok) || args != "one two" {
			t.Fatalf("app %v: exec gave the command %q and arguments %q", withApp, tok, args)
		}
		out, _ = e.must(0, "", "exec", "work-avaya", "--env", "A", "work-backup", "--env", "B", "--", "sh", "-c", `printf '%s %s' "$A" "$B"`)
		a, b, _ := strings.Cut(out, " ")
		if !fake.AccessValid(a) || !fake.AccessValid(b) || a == b {
			t.Fatalf("app %v: two accounts: %q", withApp, out)
		}
		e.must(7, "", "exec", "work-avaya", "--", "sh", "-c", "exit 7")
		if _, errs := e.must(127, "", "exec", "work-avaya", "--", "no-such-command-here"); !strings.Contains(errs, "no-such-command-here") {
			t.Errorf("app %v: a missing command: %s", withApp, errs)
		}
		e.must(2, "", "exec", "work-avaya", "work-backup", "--", "true") // two accounts in one variable
		e.must(2, "", "exec", "work-avaya")                              // no command
		e.must(4, "", "exec", "nope", "--", "true")
		marker := filepath.Join(dir, fmt.Sprint("ran-", withApp))
		fake.RevokeAll()
		e.must(0, "", "logout", "work-backup")
		e.must(3, "", "exec", "work-backup", "--", "touch", marker) // signed out: the command does not run
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("app %v: the command ran without a credential", withApp)
		}
		e.must(0, "", "login", "work-backup")
		fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = time.Hour })
		e.must(0, "", "login", "work-avaya")
	}

	// The record: newest first, how and who, a fingerprint, never the credential.
	e.must(0, "", "token", "work-avaya")
	out, _ := e.must(0, "", "audit", "work-avaya", "--json")
	var rec []struct{ Account, Via, Command, Program, Fingerprint string }
	if err := json.Unmarshal([]byte(out), &rec); err != nil || len(rec) < 5 {
		t.Fatalf("audit --json: %v\n%s", err, out)
	}
	if rec[0].Via != "token" || !strings.HasSuffix(rec[0].Program, "tokentray") && !strings.HasSuffix(rec[0].Program, "tokentray-tray") {
		t.Errorf("the newest hand-out: %+v", rec[0])
	}
	execs := 0
	for _, r := range rec {
		if r.Account != "work-avaya" || len(r.Fingerprint) != 16 {
			t.Errorf("a hand-out of another account or without a fingerprint: %+v", r)
		}
		if r.Via == "exec" && r.Command == "sh" {
			execs++
		}
	}
	if execs < 4 {
		t.Errorf("%d exec hand-outs recorded, want 4 or more:\n%s", execs, out)
	}
	for _, tok := range fake.Issued() {
		if strings.Contains(out, tok) {
			t.Fatal("a credential is in the record")
		}
	}
	if text, _ := e.must(0, "", "audit"); !strings.Contains(text, "work-backup") || !strings.Contains(text, "exec sh") {
		t.Errorf("audit:\n%s", text)
	}
	if fi, err := os.Stat(filepath.Join(e.home, ".local", "state", "tokentray", "audit.jsonl")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the record's file: %v %v", fi, err)
	}
}

// The completion scripts complete commands, flags, formats, kinds, setting keys and account
// names, as each shell runs them.
func TestShellCompletion(t *testing.T) {
	fake, e := avayaUser(t)
	_ = fake
	e.must(0, "pw\n", "add", "Demo OnSIP", "--provider", "onsip", "--set", "method=password", "--set", "username=a@example.onsip.com", "--secret", "password", "--secret-stdin")
	env := append(e.env(), "PATH="+filepath.Dir(binary(t))+":/usr/bin:/bin")
	bash := func(words ...string) []string { // COMPREPLY for the words, the last being completed
		script := `source <(tokentray completion bash); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tokentray; printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command("bash", append([]string{"-c", script, "bash"}, words...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash completion of %q: %v\n%s", words, err, out)
		}
		return strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(out)), `\ `, "␠"))
	}
	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{"tokentray", "to"}, []string{"token"}},
		{[]string{"tokentray", "token", ""}, []string{"work-avaya", "Demo␠OnSIP"}}, // as in the accounts file; the space escaped
		{[]string{"tokentray", "--debug", "token", "w"}, []string{"work-avaya"}},
		{[]string{"tokentray", "token", "work-avaya", "--f"}, []string{"--format"}},
		{[]string{"tokentray", "token", "work-avaya", "--format", "b"}, []string{"bearer"}},
		{[]string{"tokentray", "add", "x", "--provider", ""}, []string{"net2phone", "avaya", "onsip", "oidc"}},
		{[]string{"tokentray", "add", "x", "--provider", "oidc", "--set", "is"}, []string{"issuer="}},
		{[]string{"tokentray", "add", "x", "--secret", ""}, []string{"client_secret", "password"}},
		{[]string{"tokentray", "exec", "D"}, []string{"Demo␠OnSIP"}},
		{[]string{"tokentray", "help", "ex"}, []string{"exec"}},
	} {
		if got := bash(tc.words...); !slices.Equal(got, tc.want) {
			t.Errorf("bash: %q completes to %q, want %q", tc.words, got, tc.want)
		}
	}
	if _, err := exec.LookPath("fish"); err == nil {
		cmd := exec.Command("fish", "-c", `tokentray completion fish | source; complete -C "tokentray token "; complete -C "tokentray token --format "; complete -C "tokentray pro"`)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		for _, want := range []string{"Demo OnSIP", "work-avaya", "bearer", "providers\tlist the provider kinds"} {
			if err != nil || !strings.Contains(string(out), want) {
				t.Errorf("fish: %v, no %q in\n%s", err, want, out)
			}
		}
	} else {
		t.Log("fish is not installed: its completion is not tried")
	}
	if _, err := exec.LookPath("zsh"); err == nil {
		cmd := exec.Command("zsh", "-c", `autoload -U +X compinit && compinit -u; source <(tokentray completion zsh); emulate -L sh; setopt kshglob noshglob braceexpand
COMP_WORDS=(tokentray token w); COMP_CWORD=2; _tokentray; print -l -- "${COMPREPLY[@]}"`)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "work-avaya" {
			t.Errorf("zsh: %v\n%s", err, out)
		}
	} else {
		t.Log("zsh is not installed: its completion is not tried")
	}
	e.must(2, "", "completion", "tcsh")
}

// inspect tells what the credential says, with the app and without, and never shows it.
func TestInspect(t *testing.T) {
	e := newCLIEnv(t)
	fake := fakeidp.Start(fakeidp.OIDC)
	t.Cleanup(fake.Close)
	logs.Track(fake.Issued)
	e.must(0, "", "add", "work-sso", "--provider", "oidc", "--set", "issuer="+fake.URL, "--set", "client_id="+fake.ClientID)
	e.must(0, "", "login", "work-sso")
	for _, withApp := range []bool{false, true} {
		if withApp {
			e.startApp()
		}
		out, _ := e.must(0, "", "inspect", "sso")
		for _, want := range []string{"work-sso: an opaque access token", "The id token that came with it:",
			"issuer        " + fake.URL, "subject       user-1", "signature     verified with the issuer's published keys", "expires       "} {
			if !strings.Contains(out, want) {
				t.Errorf("app %v: inspect lacks %q:\n%s", withApp, want, out)
			}
		}
		js, _ := e.must(0, "", "inspect", "work-sso", "--json")
		for _, tok := range fake.Issued() {
			if strings.Contains(out, tok) || strings.Contains(js, tok) {
				t.Fatalf("app %v: inspect showed a token", withApp)
			}
		}
	}
	e.must(4, "", "inspect", "nope")
}

// api calls each provider's documented who-am-I with a fresh credential, renews once on a 401,
// and exits by the HTTP status; the answer is passed through untouched when not on a terminal.
func TestAPIAsEachProviderDocumentsIt(t *testing.T) {
	e := newCLIEnv(t)
	n2p, avaya, oidc, onsip := fakeidp.Start(fakeidp.Net2Phone), fakeidp.Start(fakeidp.Avaya), fakeidp.Start(fakeidp.OIDC), fakeidp.StartOnSIP()
	for _, f := range []*fakeidp.Server{n2p, avaya, oidc} {
		t.Cleanup(f.Close)
		logs.Track(f.Issued)
	}
	t.Cleanup(onsip.Close)
	logs.Track(onsip.Issued)
	add := func(name, kind string, settings map[string]string, secretKey, secret string) {
		e.add(name, kind, settings, secretKey, secret)
		e.must(0, "", "login", name)
	}
	add("office", "net2phone", n2p.Settings(), "client_secret", n2p.ClientSecret)
	add("spaces", "avaya", avaya.Settings(), "client_secret", avaya.ClientSecret)
	add("sso", "oidc", oidc.Settings(), "", "")
	onsipSettings := onsip.Settings("password")
	add("phones", "onsip", onsipSettings, "password", onsip.Password)

	for _, withApp := range []bool{false, true} {
		if withApp {
			e.startApp()
		}
		for _, tc := range []struct{ name, path, want string }{
			{"office", "/api/users/current/", `"username": "test@example.com"`},
			{"spaces", "/api/users/me", `"username": "test@avaya.com"`},
			{"sso", "userinfo", `"sub":"user-1"`},
			{"phones", "UserRead", `"UserRead"`},
		} {
			out, errs := e.must(0, "", "api", tc.name, tc.path)
			if !strings.Contains(strings.ReplaceAll(out, `": "`, `":"`), strings.ReplaceAll(tc.want, `": "`, `":"`)) {
				t.Errorf("app %v: api %s %s: %s%s", withApp, tc.name, tc.path, out, errs)
			}
		}
		// The access tokens are revoked early: one renewal, the call made again.
		before := avaya.Count("/oauth2/access_token", "refresh_token")
		avaya.ExpireAccessTokens()
		if out, errs := e.must(0, "", "api", "spaces", "/api/users/me"); !strings.Contains(out, "test@avaya.com") {
			t.Errorf("app %v: after a 401: %s%s", withApp, out, errs)
		}
		if n := avaya.Count("/oauth2/access_token", "refresh_token") - before; n != 1 {
			t.Errorf("app %v: %d renewals for one 401, want 1", withApp, n)
		}
		if _, errs := e.must(1, "", "api", "spaces", "/api/nothing-here"); !strings.Contains(errs, "api: HTTP 404") {
			t.Errorf("app %v: a 404: %s", withApp, errs)
		}
		e.must(2, "", "api", "spaces", "/x", "-H", "no colon")
		// A body on stdin reaches the provider, with the app and without: the lean command then
		// hands itself to the whole program, and stdin must still hold the body.
		n := len(avaya.Requests("/api/users/me"))
		e.run("note=from-stdin", "api", "spaces", "/api/users/me", "-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded", "-d", "@-")
		if r := avaya.Requests("/api/users/me"); len(r) <= n || r[len(r)-1].Form.Get("note") != "from-stdin" {
			t.Errorf("app %v: the body from stdin did not arrive: %+v", withApp, r[n:])
		}
		if _, errs := e.must(1, "", "api", "spaces", "https://evil.example/steal"); !strings.Contains(errs, "names another server") {
			t.Errorf("app %v: a path to another server: %s", withApp, errs)
		}
	}
	out, _ := e.must(0, "", "audit", "spaces", "--json")
	if !strings.Contains(out, `"via": "api"`) {
		t.Errorf("api's use of the credential is not in the record:\n%s", out)
	}
}

// Each command says what comes next as it is: add tells a client-credentials account needs no
// sign-in (not "run login"), and a sign-in with no browser page (a password) does not say it waits
// for the browser; one through the browser does.
func TestCommandsSayWhatComesNext(t *testing.T) {
	e := newCLIEnv(t)
	n2p, avaya, onsip := fakeidp.Start(fakeidp.Net2Phone), fakeidp.Start(fakeidp.Avaya), fakeidp.StartOnSIP()
	t.Cleanup(n2p.Close)
	t.Cleanup(avaya.Close)
	t.Cleanup(onsip.Close)
	for _, f := range []func() []string{n2p.Issued, avaya.Issued, onsip.Issued} {
		logs.Track(f)
	}
	args := []string{"add", "company", "--provider", "net2phone", "--set", "grant=client_credentials", "--secret", "client_secret", "--secret-stdin"}
	for k, v := range n2p.Settings() {
		args = append(args, "--set", k+"="+v)
	}
	if _, errs := e.must(0, n2p.ClientSecret+"\n", args...); !strings.Contains(errs, "needs no sign-in") || strings.Contains(errs, "login") {
		t.Errorf("add of a client-credentials account: %s", errs)
	}
	e.must(0, "", "token", "company")
	args = []string{"add", "phones", "--provider", "onsip", "--secret", "password", "--secret-stdin"}
	for k, v := range onsip.Settings("password") {
		args = append(args, "--set", k+"="+v)
	}
	e.must(0, onsip.Password+"\n", args...)
	e.addAvaya("spaces", avaya)
	for _, withApp := range []bool{false, true} {
		if withApp {
			e.startApp()
		}
		if _, errs := e.must(0, "", "login", "phones"); strings.Contains(errs, "browser") {
			t.Errorf("app %v: a password sign-in: %s", withApp, errs)
		}
		if _, errs := e.must(0, "", "login", "spaces"); !strings.Contains(errs, "Waiting for the browser") {
			t.Errorf("app %v: a sign-in through the browser: %s", withApp, errs)
		}
	}
}
