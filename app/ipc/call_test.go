package ipc_test

import (
	"bufio"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tokentray/app/ipc"
	"tokentray/app/server"
)

// A command's call gives up at its deadline when the app says nothing, hands on progress lines,
// and reads the answer after them.
func TestCallDeadlineAndProgress(t *testing.T) {
	t.Setenv("TOKENTRAY_RUNTIME_DIR", filepath.Join(t.TempDir(), "run"))
	ln, err := server.ListenSocket(ipc.SocketPath())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	answer := make(chan string, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = bufio.NewReader(c).ReadBytes('\n')
			if a := <-answer; a != "" { // "": silent, the connection left open
				_, _ = c.Write([]byte(a))
				c.Close()
			}
		}
	}()
	answer <- ""
	start := time.Now()
	var app ipc.Caller
	if _, err := app.Call(context.Background(), ipc.Request{Op: "token", Account: "x"}, 300*time.Millisecond, nil); err == nil || !strings.Contains(err.Error(), "did not answer") || time.Since(start) > 5*time.Second {
		t.Fatalf("a silent app: %v after %v", err, time.Since(start))
	}
	answer <- `{"v":2,"progress":"http://127.0.0.1:1/"}` + "\n" + `{"v":2,"token":{"token":"abc"}}` + "\n"
	var progress []string
	r, err := app.Call(context.Background(), ipc.Request{Op: "login", Account: "x"}, 5*time.Second, func(r *ipc.Response) { progress = append(progress, r.Progress) })
	if err != nil || r.Token == nil || r.Token.Value != "abc" || len(progress) != 1 || progress[0] != "http://127.0.0.1:1/" {
		t.Fatalf("answer %+v, %v; progress %q", r, err, progress)
	}
}
