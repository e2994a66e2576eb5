package server

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"tokentray/app/ipc"
	"tokentray/app/model"
)

// The app's named pipe: a command of the same user is answered, its process id known to the app;
// a second app finds the first (the single-instance check); a closed listener frees the name.
func TestPipeAnswersThisUser(t *testing.T) {
	pipe := ipc.SocketPath() + "-test"
	ln, err := ListenSocket(pipe)
	if err != nil {
		t.Fatal(err)
	}
	peers := make(chan ipc.Peer, 4)
	srv := &SocketServer{Handle: func(_ context.Context, req ipc.Request, peer ipc.Peer, _ func(ipc.Response) error) (ipc.Response, func()) {
		peers <- peer
		return ipc.Response{Token: &model.Credential{Account: req.Account, Value: "tok"}}, nil
	}}
	go func() { _ = srv.Serve(ln) }()
	for range 3 {
		r, err := ipc.Caller{Socket: pipe}.Call(context.Background(), ipc.Request{Op: ipc.OpToken, Account: "Work"}, 10*time.Second, nil)
		if err != nil || r.Token == nil || r.Token.Value != "tok" {
			t.Fatalf("call over the pipe: %+v, %v", r, err)
		}
		if p := <-peers; p.PID != os.Getpid() || p.UID != os.Getuid() {
			t.Fatalf("the app saw %+v, want this process (pid %d) as this user", p, os.Getpid())
		}
	}
	if _, err := ListenSocket(pipe); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("a second app: %v, want ErrAlreadyRunning", err)
	}
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := (ipc.Caller{Socket: pipe}).Call(context.Background(), ipc.Request{Op: ipc.OpToken}, 2*time.Second, nil); !errors.Is(err, ipc.ErrNotRunning) {
		t.Fatalf("after the app closed its pipe: %v, want ErrNotRunning", err)
	}
	again, err := ListenSocket(pipe)
	if err != nil {
		t.Fatalf("listening again after the first closed: %v", err)
	}
	again.Close()
}
