package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tokentray/app/ipc"
)

func startSocket(t *testing.T, peer func(net.Conn) (int, error)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	path := filepath.Join(dir, "tokentray.sock")
	ln, err := ListenSocket(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := &SocketServer{ReadTimeout: 2 * time.Second, PeerUID: peer,
		Handle: func(_ context.Context, req ipc.Request) ipc.Response {
			return ipc.Response{Token: &ipc.Token{Account: req.Account, Value: "tok"}}
		}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { ln.Close() })
	return path
}

func roundTrip(t *testing.T, path, payload string) ipc.Response {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = c.Write([]byte(payload)) // a refusing server may answer and close before reading
	var r ipc.Response
	line, err := bufio.NewReader(c).ReadBytes('\n')
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	_ = json.Unmarshal(line, &r)
	return r
}

func TestSocketIsPrivate(t *testing.T) {
	path := startSocket(t, nil)
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
	if r := roundTrip(t, path, `{"v":1,"op":"token","account":"a"}`+"\n"); r.Token == nil || r.Token.Value != "tok" {
		t.Fatalf("the real peer check refused the current user: %+v", r)
	}
}

func TestSocketRefusesAnotherUser(t *testing.T) {
	path := startSocket(t, func(net.Conn) (int, error) { return os.Getuid() + 1, nil })
	r := roundTrip(t, path, `{"v":1,"op":"token","account":"a"}`+"\n")
	if r.Token != nil || !strings.Contains(r.Error, "not the user") {
		t.Fatalf("another user got %+v", r)
	}
}

func TestSocketSurvivesBadRequests(t *testing.T) {
	path := startSocket(t, nil)
	good := func() {
		t.Helper()
		if r := roundTrip(t, path, `{"v":1,"op":"token","account":"a"}`+"\n"); r.Token == nil {
			t.Fatalf("a good request was not answered: %+v", r)
		}
	}
	// A slow client, one byte a second, holds only its own connection.
	slow, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	go func() {
		for _, b := range []byte(`{"v":1,"op":"token"`) {
			if _, err := slow.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
	}()
	start := time.Now()
	good()
	if took := time.Since(start); took > time.Second {
		t.Errorf("a good request took %s next to a slow one", took)
	}
	for name, payload := range map[string]string{
		"malformed":    "{not json\n",
		"oversized":    `{"v":1,"op":"token","account":"` + strings.Repeat("x", ipc.MaxRequest) + "\"}\n",
		"old version":  `{"v":0,"op":"token"}` + "\n",
		"unterminated": `{"v":1`,
	} {
		t.Run(name, func(t *testing.T) {
			c, err := net.Dial("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = c.Write([]byte(payload))
			if name == "unterminated" {
				_ = c.(*net.UnixConn).CloseWrite()
			}
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			line, _ := bufio.NewReader(c).ReadBytes('\n')
			c.Close()
			var r ipc.Response
			if json.Unmarshal(line, &r) != nil || r.Error == "" || r.Code != ipc.ExitUsage {
				t.Fatalf("answer %q, want a usage error", line)
			}
			good()
		})
	}
	// The slow client is cut off at the read timeout with an error, not left hanging.
	_ = slow.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, _ := bufio.NewReader(slow).ReadBytes('\n')
	if !strings.Contains(string(line), "incomplete request") {
		t.Fatalf("slow client got %q", line)
	}
}

func TestListenSocketRecoversAStaleSocketAndRefusesASecondApp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tokentray.sock")
	// A socket file nobody listens on, as a killed app leaves it.
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatal("no stale socket to test with")
	}
	live, err := ListenSocket(path)
	if err != nil {
		t.Fatalf("stale socket not recovered: %v", err)
	}
	defer live.Close()
	if _, err := ListenSocket(path); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("second app: err = %v, want ErrAlreadyRunning", err)
	}
}

func TestResolveAccount(t *testing.T) {
	accs := []Account{{ID: id1, Name: "work-avaya"}, {ID: id2, Name: "Work-OnSIP"}, {ID: "3", Name: "home"}}
	for _, tc := range []struct{ in, want, err string }{
		{"WORK-AVAYA", "work-avaya", ""},
		{id2, "Work-OnSIP", ""},
		{"ho", "home", ""},
		{"work", "", `"work" matches several accounts: Work-OnSIP, work-avaya`},
		{"nope", "", `no account "nope"; the accounts are: Work-OnSIP, home, work-avaya`},
	} {
		a, err := ResolveAccount(accs, tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || a.Name != tc.want {
			t.Errorf("%q = %q, %v; want %q", tc.in, a.Name, err, tc.want)
		}
	}
}
