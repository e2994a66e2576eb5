package app

import (
	"testing"

	"tokentray/app/ipc"
)

// Every operation of the wire has its handler, and every handler an operation of the wire: adding
// one is a row in ipc.Ops, a handler here, and a method of app/client.
func TestEveryOpIsAnswered(t *testing.T) {
	seen := map[ipc.Op]bool{}
	for _, s := range ipc.Ops {
		if seen[s.Op] {
			t.Errorf("%s is in ipc.Ops twice", s.Op)
		}
		seen[s.Op] = true
		if _, ok := handlers[s.Op]; !ok {
			t.Errorf("no handler answers %s", s.Op)
		}
		if s.Summary == "" {
			t.Errorf("%s says nothing of itself in ipc.Ops", s.Op)
		}
	}
	for op := range handlers {
		if !seen[op] {
			t.Errorf("a handler answers %s, which ipc.Ops does not name", op)
		}
	}
}
