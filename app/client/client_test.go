package client

import (
	"bufio"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"tokentray/app/server"

	"tokentray/app/ipc"
	"tokentray/app/model"
)

// Every operation of the wire has a method here: each method is called against a socket that
// records what it was asked, and together they ask every operation of ipc.Ops.
func TestEveryOpHasAClientMethod(t *testing.T) {
	sock := ipc.SocketIn(filepath.Join(t.TempDir(), "run"))
	ln, err := server.ListenSocket(sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	asked := map[ipc.Op]bool{}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				line, _ := bufio.NewReader(conn).ReadBytes('\n')
				var req ipc.Request
				_ = json.Unmarshal(line, &req)
				mu.Lock()
				asked[req.Op] = true
				mu.Unlock()
				answer, _ := json.Marshal(ipc.Response{V: ipc.Version, Accounts: []model.Account{{}}, Token: &model.Credential{},
					Prefs: &model.Preferences{}, Inspection: &model.Inspection{}, API: &model.APIResponse{},
					Progress: map[bool]string{true: "snapshot"}[req.Op == ipc.OpSubscribe]})
				_, _ = conn.Write(append(answer, '\n'))
				if req.Op == ipc.OpSubscribe {
					_, _ = bufio.NewReader(conn).ReadByte() // a subscription lasts while its asker stays
				}
			}()
		}
	}()
	ctx := context.Background()
	c, err := Connect(ctx, sock) // ipc.OpSubscribe
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(c)
	for i := range v.NumMethod() {
		m := v.Method(i)
		args := make([]reflect.Value, m.Type().NumIn())
		for j := range args {
			args[j] = reflect.Zero(m.Type().In(j))
			if m.Type().In(j) == reflect.TypeFor[context.Context]() {
				args[j] = reflect.ValueOf(ctx)
			}
		}
		if name := v.Type().Method(i).Name; name != "Subscribe" && name != "Gone" {
			m.Call(args)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range ipc.Ops {
		if !asked[s.Op] {
			t.Errorf("no method of Client asks %s", s.Op)
		}
	}
}
