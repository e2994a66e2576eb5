package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tokentray/app/cli/commands"
	"tokentray/app/ipc"
	"tokentray/app/model"
	"tokentray/auth"
	"tokentray/tests/testenv"
)

func startSocket(t *testing.T, peer func(net.Conn) (ipc.Peer, error)) string {
	t.Helper()
	path, ln := listenTemp(t)
	srv := &SocketServer{ReadTimeout: 2 * time.Second, Peer: peer,
		Handle: func(_ context.Context, req ipc.Request, _ ipc.Peer, _ func(ipc.Response) error) (ipc.Response, func()) {
			return ipc.Response{Token: &model.Credential{Account: req.Account, Value: "tok"}}, nil
		}}
	go func() { _ = srv.Serve(ln) }()
	return path
}

// listenTemp listens on a socket in a new private folder of the test's, closed when it ends.
func listenTemp(t *testing.T) (string, net.Listener) {
	t.Helper()
	path := ipc.SocketIn(filepath.Join(t.TempDir(), "run"))
	ln, err := ListenSocket(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return path, ln
}

func roundTrip(t *testing.T, path, payload string) ipc.Response {
	t.Helper()
	c, err := dialRaw(path)
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
	checkPrivate(t, path)
	if r := roundTrip(t, path, `{"v":2,"op":"token","account":"a"}`+"\n"); r.Token == nil || r.Token.Value != "tok" {
		t.Fatalf("the real peer check refused the current user: %+v", r)
	}
}

func TestSocketRefusesAnotherUser(t *testing.T) {
	path := startSocket(t, func(net.Conn) (ipc.Peer, error) { return ipc.Peer{UID: os.Getuid() + 1}, nil })
	r := roundTrip(t, path, `{"v":2,"op":"token","account":"a"}`+"\n")
	if r.Token != nil || !strings.Contains(r.Error, "not the user") {
		t.Fatalf("another user got %+v", r)
	}
}

func TestSocketSurvivesBadRequests(t *testing.T) {
	path := startSocket(t, nil)
	good := func() {
		t.Helper()
		if r := roundTrip(t, path, `{"v":2,"op":"token","account":"a"}`+"\n"); r.Token == nil {
			t.Fatalf("a good request was not answered: %+v", r)
		}
	}
	// A slow client, one byte a second, holds only its own connection.
	slow, err := dialRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	go func() {
		for _, b := range []byte(`{"v":2,"op":"token"`) {
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
		"oversized":    `{"v":2,"op":"token","account":"` + strings.Repeat("x", ipc.MaxRequest) + "\"}\n",
		"old version":  `{"v":0,"op":"token"}` + "\n",
		"unterminated": `{"v":1`,
	} {
		t.Run(name, func(t *testing.T) {
			c, err := dialRaw(path)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = c.Write([]byte(payload))
			if name == "unterminated" && closeWrite(c) != nil {
				t.Skip("a pipe cannot be half closed")
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
	testenv.UnixOnly(t, "a socket file outliving its app") // a pipe goes with its app (TestPipeAnswersThisUser)
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

// flakyListener fails its first Accept calls as a process out of file descriptors does.
type flakyListener struct {
	net.Listener
	fails int
}

func (l *flakyListener) Accept() (net.Conn, error) {
	if l.fails > 0 {
		l.fails--
		return nil, &net.OpError{Op: "accept", Net: "unix", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}

// One failed Accept used to end the socket server for good, silently. It is retried with
// backoff, said in the log, and the server goes on answering.
func TestSocketSurvivesAcceptErrors(t *testing.T) {
	path, ln := listenTemp(t)
	logged := serverLogs.Count("could not accept a connection")
	srv := &SocketServer{Handle: func(context.Context, ipc.Request, ipc.Peer, func(ipc.Response) error) (ipc.Response, func()) {
		return ipc.Response{Token: &model.Credential{Value: "tok"}}, nil
	}}
	go func() { _ = srv.Serve(&flakyListener{Listener: ln, fails: 5}) }()
	if r := roundTrip(t, path, `{"v":2,"op":"token","account":"a"}`+"\n"); r.Token == nil {
		t.Fatalf("not answered after failed accepts: %+v", r)
	}
	if n := serverLogs.Count("could not accept a connection") - logged; n != 5 {
		t.Fatalf("%d failed accepts logged, want 5", n)
	}
}

// A process may hold only a few connections at once; others are answered meanwhile.
func TestSocketBoundsConnectionsPerProcess(t *testing.T) {
	path := startSocket(t, nil)
	var held []net.Conn
	for range 8 {
		c, err := dialRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	t.Cleanup(func() {
		for _, c := range held {
			c.Close()
		}
	})
	time.Sleep(100 * time.Millisecond) // the server has counted them
	if r := roundTrip(t, path, `{"v":2,"op":"token","account":"a"}`+"\n"); r.Token != nil || !strings.Contains(r.Error, "already has 8 connections") {
		t.Fatalf("a ninth connection of the same process: %+v", r)
	}
	held[0].Close()
	held = held[1:]
	time.Sleep(100 * time.Millisecond)
	if r := roundTrip(t, path, `{"v":2,"op":"token","account":"a"}`+"\n"); r.Token == nil {
		t.Fatalf("refused after a connection closed: %+v", r)
	}
}

// Where the system does not say the peer's pid (Windows), connections are not bounded per
// process: they would all share one bound.
func TestSocketDoesNotBoundPeersWithoutAPid(t *testing.T) {
	path := startSocket(t, func(net.Conn) (ipc.Peer, error) { return ipc.Peer{UID: os.Getuid()}, nil })
	for range 10 {
		c, err := dialRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
	time.Sleep(100 * time.Millisecond) // the server has seen them
	if r := roundTrip(t, path, `{"v":2,"op":"token","account":"a"}`+"\n"); r.Token == nil {
		t.Fatalf("refused with ten connections of unknown processes open: %+v", r)
	}
}

// The app never makes its socket in a folder another user owns (or could have made first).
func TestListenSocketRefusesAFolderOfAnotherUser(t *testing.T) {
	uid, gid := testenv.OtherUser(t)
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, int(uid), int(gid)); err != nil {
		t.Fatal(err)
	}
	if _, err := ListenSocket(filepath.Join(dir, "tokentray.sock")); !errors.Is(err, ipc.ErrNotPrivate) {
		t.Fatalf("err = %v, want the folder refused", err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(t.TempDir(), link); err != nil {
		t.Fatal(err)
	}
	if _, err := ListenSocket(filepath.Join(link, "tokentray.sock")); !errors.Is(err, ipc.ErrNotPrivate) {
		t.Fatalf("err = %v, want a symlinked folder refused", err)
	}
}

// A login waits for the person for auth.DefaultSignInTimeout; the app lets the request run, and
// the command waits for its answer, a little longer, so the sign-in's own timeout is what the
// person sees.
func TestTheLoginWaitOutlastsTheSignIn(t *testing.T) {
	spec, _ := commands.Lookup("login")
	if wait := ipc.OpLogin.Timeout(); wait != spec.WaitFor() || wait < auth.DefaultSignInTimeout+10*time.Second {
		t.Fatalf("login: the app allows %s, the command waits %s, the sign-in takes up to %s", wait, spec.WaitFor(), auth.DefaultSignInTimeout)
	}
	if ipc.OpSubscribe.Timeout() != 0 {
		t.Fatal("a subscription is cut off")
	}
}

// On Linux the accepting thread answers a token request itself; whatever would wait (a renewal),
// and anything else, is answered on a goroutine of its own, the same way.
func TestQuickAnswersLeaveWhatWaitsToAGoroutine(t *testing.T) {
	path, ln := listenTemp(t)
	var quick, slow atomic.Int32
	srv := &SocketServer{
		Quick: func(req ipc.Request, _ ipc.Peer) (ipc.Response, func(), bool) {
			if req.Op != "token" || req.Account == "renew" { // one that would wait
				return ipc.Response{}, nil, false
			}
			quick.Add(1)
			return ipc.Response{Token: &model.Credential{Account: req.Account, Value: "tok-" + string(req.Op)}}, func() {}, true
		},
		Handle: func(_ context.Context, req ipc.Request, _ ipc.Peer, _ func(ipc.Response) error) (ipc.Response, func()) {
			slow.Add(1)
			return ipc.Response{Token: &model.Credential{Account: req.Account, Value: "tok-" + string(req.Op)}}, nil
		}}
	done := make(chan error)
	go func() { done <- srv.Serve(ln) }()
	for _, tc := range []struct{ payload, want string }{
		{`{"v":2,"op":"token","account":"a"}` + "\n", "tok-token"},
		{`{"v":2,"op":"token","account":"renew"}` + "\n", "tok-token"},
		{`{"v":2,"op":"status","account":"a"}` + "\n", "tok-status"},
	} {
		if r := roundTrip(t, path, tc.payload); r.Token == nil || r.Token.Value != tc.want {
			t.Fatalf("%s answered %+v", tc.payload, r)
		}
	}
	wantQuick, wantSlow := int32(0), int32(3)
	if runtime.GOOS == "linux" { // the first token; the one that would wait, and the status, on goroutines
		wantQuick, wantSlow = 1, 2
	}
	if quick.Load() != wantQuick || slow.Load() != wantSlow {
		t.Fatalf("%d answered on the accepting thread, %d on goroutines; want %d and %d", quick.Load(), slow.Load(), wantQuick, wantSlow)
	}
	// Closing the listener ends the accept(2) that waits, and Serve.
	ln.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve went on after its listener closed")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the socket is still there: %v", err)
	}
}

// A connection of another user is refused whichever path takes it.
func TestSocketRefusesAnotherUserOnEveryPath(t *testing.T) {
	path, ln := listenTemp(t)
	srv := &SocketServer{User: 424242, // the app runs as someone else: this test is the other user
		Handle: func(context.Context, ipc.Request, ipc.Peer, func(ipc.Response) error) (ipc.Response, func()) {
			return ipc.Response{Token: &model.Credential{Value: "tok"}}, nil
		}, Quick: quickToken}
	go func() { _ = srv.Serve(ln) }()
	for _, op := range []string{"token", "list"} {
		r := roundTrip(t, path, `{"v":2,"op":"`+op+`","account":"a"}`+"\n")
		if r.Token != nil || !strings.Contains(r.Error, "not the user") {
			t.Fatalf("%s by another user got %+v", op, r)
		}
	}
}

// Connections that send nothing, or a byte at a time, do not hold up a command's request behind
// them: the accepting thread stops waiting for a slow one as soon as another connection waits.
// (Before, each idle connection held it for its whole 20 ms: 300 of them, six seconds.)
func TestIdleConnectionsDoNotHoldUpAToken(t *testing.T) {
	path, ln := listenTemp(t)
	srv := &SocketServer{PerPeer: 1000, ReadTimeout: 30 * time.Second,
		Handle: func(context.Context, ipc.Request, ipc.Peer, func(ipc.Response) error) (ipc.Response, func()) {
			return ipc.Response{Token: &model.Credential{Value: "tok"}}, nil
		}, Quick: quickToken}
	go func() { _ = srv.Serve(ln) }()
	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for i := range 300 {
		c, err := dialRaw(path)
		for tries := 0; errors.Is(err, syscall.EAGAIN) && tries < 1000; tries++ { // the backlog full: as a blocking connect waits
			time.Sleep(time.Millisecond)
			c, err = dialRaw(path)
		}
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			_, _ = c.Write([]byte("{")) // a byte, and then nothing
		}
		idle = append(idle, c)
	}
	start := time.Now()
	r := roundTrip(t, path, `{"v":2,"op":"token","account":"a"}`+"\n")
	if took := time.Since(start); r.Token == nil || took > 2*time.Second {
		t.Fatalf("a token behind 300 idle connections: %+v after %s", r, took)
	}
}

// quickToken answers every token request on the accepting thread, as the app does one whose
// credential is in hand.
func quickToken(req ipc.Request, _ ipc.Peer) (ipc.Response, func(), bool) {
	if req.Op != ipc.OpToken {
		return ipc.Response{}, nil, false
	}
	return ipc.Response{Token: &model.Credential{Value: "tok"}}, func() {}, true
}

// serverLogs is every test's log, through the redacting handler, as the app logs (TestMain).
var serverLogs testenv.LogCapture
