package tests

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// holdTCP, run as another user, listens at addr as an attacker would to catch a sign-in's redirect:
// it prints "listening" (or why it could not), then "got " and each request line it is sent.
func holdTCP(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Println("refused:", err)
		os.Exit(0)
	}
	fmt.Println("listening")
	for {
		c, err := ln.Accept()
		if err != nil {
			os.Exit(1)
		}
		line, _ := bufio.NewReader(c).ReadString('\n')
		fmt.Println("got", strings.TrimSpace(line))
		fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<h1>Hijacked</h1>")
		c.Close()
	}
}

// otherUserListener runs holdTCP at addr as the second local user; its first line says whether
// it listens, and lines says what it was sent.
type otherUserListener struct {
	first string
	lines chan string
}

func listenAsOtherUser(t *testing.T, addr string) *otherUserListener {
	t.Helper()
	l := &otherUserListener{lines: make(chan string, 16)}
	r := bufio.NewReader(asOtherUser(t, "TOKENTRAY_HOLD_TCP="+addr))
	l.first, _ = r.ReadString('\n')
	l.first = strings.TrimSpace(l.first)
	go func() {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(l.lines)
				return
			}
			l.lines <- strings.TrimSpace(line)
		}
	}()
	return l
}

// sent is what the other user's listener was sent so far.
func (l *otherUserListener) sent() []string {
	var got []string
	for {
		select {
		case line, ok := <-l.lines:
			if !ok {
				return got
			}
			got = append(got, line)
		default:
			return got
		}
	}
}

// redirectPort is the port of the redirect_uri in an authorization URL.
func redirectPort(t *testing.T, authURL string) int {
	u, err := url.Parse(authURL)
	if err == nil {
		u, err = url.Parse(u.Query().Get("redirect_uri"))
	}
	if err != nil {
		t.Fatalf("no redirect_uri in %s", authURL)
	}
	port, _ := strconv.Atoi(u.Port())
	return port
}

// An account whose redirect host is "localhost" holds both loopback addresses for its sign-in:
// another local user can take neither [::1]:PORT (which Chromium tries first) nor 127.0.0.1:PORT,
// and Chromium brings the code to Tokentray. A fixed port another user holds on either address
// is refused in words before the browser opens, and that user is sent nothing.
func TestLocalhostRedirectIsNotLeftToAnotherUser(t *testing.T) {
	chromium := testenv.StartChromium(t)
	testenv.OtherUser(t)
	t.Run("any port", func(t *testing.T) {
		fake := fakeidp.Start(fakeidp.Avaya)
		defer fake.Close()
		m, id, _ := managerFor(t, fake, map[string]string{"redirect_host": "localhost"})
		var tried []string
		browser := chromium.Browser(t, "allow")
		err := m.SignIn(context.Background(), id, auth.SignInUI{Timeout: time.Minute, OpenURL: func(u string) error {
			port := redirectPort(t, u)
			for _, host := range []string{"::1", "127.0.0.1"} { // as another user would, having read the port in ps
				l := listenAsOtherUser(t, net.JoinHostPort(host, strconv.Itoa(port)))
				tried = append(tried, host+": "+l.first)
			}
			return browser(u)
		}})
		if page := <-chromium.Pages; page != "Signed in" {
			t.Errorf("Chromium ended on %q, want Tokentray's \"Signed in\"", page)
		}
		if err != nil {
			t.Fatalf("sign-in: %v", err)
		}
		for _, s := range tried {
			if !strings.Contains(s, "refused:") {
				t.Errorf("another user could listen on the sign-in's port at %s", s)
			}
		}
	})
	t.Run("a fixed port another user holds on ::1", func(t *testing.T) {
		fake := fakeidp.Start(fakeidp.Avaya)
		defer fake.Close()
		port := freePort(t)
		l := listenAsOtherUser(t, net.JoinHostPort("::1", strconv.Itoa(port)))
		if l.first != "listening" {
			t.Fatalf("the other user's listener: %s", l.first)
		}
		m, id, _ := managerFor(t, fake, map[string]string{"redirect_host": "localhost", "redirect_port": strconv.Itoa(port)})
		opened := false
		err := m.SignIn(context.Background(), id, auth.SignInUI{Timeout: 20 * time.Second, OpenURL: func(u string) error {
			opened = true
			return chromium.Browser(t, "allow")(u)
		}})
		if opened {
			<-chromium.Pages
		}
		if err == nil || !strings.Contains(err.Error(), "taken by another program") || !strings.Contains(err.Error(), "::1") || opened {
			t.Fatalf("sign-in with [::1]:%d held by another user: err %v, browser opened %v", port, err, opened)
		}
		time.Sleep(200 * time.Millisecond)
		if got := l.sent(); len(got) > 0 {
			t.Fatalf("the other user was sent %q", got)
		}
	})
}

// freePort is a TCP port free on both loopback addresses just now.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln6, err := net.Listen("tcp", net.JoinHostPort("::1", strconv.Itoa(port)))
		ln.Close()
		if err == nil {
			ln6.Close()
			return port
		}
	}
	t.Fatal("no port free on both loopback addresses")
	return 0
}

// With neither HOME nor XDG_CONFIG_HOME set, a command reads no accounts file from a shared folder
// (it used to take $TMPDIR/tokentray/accounts.toml, which another user can write first): it says
// what is missing and changes nothing.
func TestNoHomeIsRefusedInWords(t *testing.T) {
	tmp := t.TempDir()
	planted := filepath.Join(tmp, "tokentray", "accounts.toml")
	if err := os.MkdirAll(filepath.Dir(planted), 0o755); err != nil {
		t.Fatal(err)
	}
	plant := []byte("version = 1\n\n[[account]]\nid = \"11111111-1111-1111-1111-111111111111\"\nname = \"planted\"\nprovider = \"avaya\"\n\n[account.settings]\nclient_id = \"x\"\n")
	if err := os.WriteFile(planted, plant, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"list"}, {"token", "planted"}, {"add", "x", "--provider", "avaya", "--set", "client_id=x"}} {
		cmd := exec.Command(binary(t), args...)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "TMPDIR=" + tmp}
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "HOME is not set") || strings.Contains(string(out), "planted") {
			t.Fatalf("tokentray %s without HOME: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if b, _ := os.ReadFile(planted); string(b) != string(plant) {
		t.Fatalf("the planted file was changed:\n%s", b)
	}
}

// A socket in Tokentray's own folder that another user listens on (planted while the folder was
// open to others) does not keep the app from starting: it is replaced, and commands reach the app.
// One of this user's that listens but never answers is said to be so, in words, rather than the
// app claiming to be running.
func TestASocketThatIsNotTokentrayDoesNotStopTheApp(t *testing.T) {
	t.Run("another user's", func(t *testing.T) {
		e := newCLIEnv(t)
		dir := filepath.Join(publicDir(t), "run")
		startSpoof(t, dir, true) // their socket, in a folder of ours
		extraEnv = []string{"TOKENTRAY_RUNTIME_DIR=" + dir}
		p := startApp(t, e.home, e.bus)
		extraEnv = nil
		cmd := exec.Command(binary(t), "list")
		cmd.Env = append(e.env(), "TOKENTRAY_RUNTIME_DIR="+dir)
		eventually(t, 20*time.Second, "the app answering on its socket", func() bool {
			out, err := cmd.CombinedOutput()
			cmd = exec.Command(binary(t), "list")
			cmd.Env = append(e.env(), "TOKENTRAY_RUNTIME_DIR="+dir)
			return err == nil && !strings.Contains(string(out), "attacker")
		})
		select {
		case <-p.done:
			t.Fatalf("the app exited: %v\n%s", p.status, p.out.String())
		default:
		}
	})
	t.Run("a silent one of ours", func(t *testing.T) {
		e := newCLIEnv(t)
		dir := filepath.Join(t.TempDir(), "run")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("unix", filepath.Join(dir, "tokentray.sock")) // never accepts
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		extraEnv = []string{"TOKENTRAY_RUNTIME_DIR=" + dir}
		p := startApp(t, e.home, e.bus)
		extraEnv = nil
		if err := p.wait(t, 30*time.Second); err == nil || !strings.Contains(p.out.String(), "does not answer as Tokentray") {
			t.Fatalf("the app: %v\n%s", err, p.out.String())
		}
	})
}

// The lean command runs the whole program only from a file and folders that nobody but the user
// and root can change: installed under a folder others can write, the ../lib/tokentray/tokentray-tray
// another user put there is not run, and the command says why.
func TestTheLeanCommandRunsNoProgramAnotherUserPlanted(t *testing.T) {
	binary(t)
	testenv.OtherUser(t)
	shared := filepath.Join(publicDir(t), "shared")
	if err := os.MkdirAll(filepath.Join(shared, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil { // a folder others can write (no sticky bit)
		t.Fatal(err)
	}
	lean := filepath.Join(shared, "bin", "tokentray")
	data, err := os.ReadFile(binary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lean, data, 0o755); err != nil {
		t.Fatal(err)
	}
	mark := filepath.Join(shared, "ran")
	plant := `mkdir -p "$1/lib/tokentray" && printf '#!/bin/sh\ntouch %s\n' "$2" > "$1/lib/tokentray/tokentray-tray" && chmod 755 "$1/lib/tokentray/tokentray-tray"`
	if out, err := testenv.AsOtherUser(t, exec.Command("sh", "-c", plant, "sh", shared, mark)).CombinedOutput(); err != nil {
		t.Fatalf("the other user's plant: %v %s", err, out)
	}
	e := newCLIEnv(t)
	for _, args := range [][]string{{"list"}, {"help"}, {"token", "work"}} {
		cmd := exec.Command(lean, args...)
		cmd.Env = e.env()
		out, err := cmd.CombinedOutput()
		if _, serr := os.Stat(mark); serr == nil {
			t.Fatalf("tokentray %s ran the other user's program", strings.Join(args, " "))
		}
		if err == nil || !strings.Contains(string(out), "will not run") || !strings.Contains(string(out), "belongs to user") {
			t.Fatalf("tokentray %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
