package tray

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNotifierOncePerChange(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var n Notifier
	acc := func(state string) []Account {
		return []Account{{ID: "a", Name: "Work", Provider: "avaya", State: state, Identity: "Ann <ann@x>", Problem: "invalid_grant"}}
	}
	steps := []struct {
		state string
		want  []Note
	}{
		{"signed out", nil}, // first sight: nothing to announce
		{"signing in", nil},
		{"valid", []Note{{"Signed in", "Work is signed in as Ann <ann@x>."}}},
		{"valid", nil},
		{"refreshing", nil},
		{"valid", nil},
		{"retrying", nil},
		{"expired", []Note{{"Work token expired", "Renewing it kept failing (network); Tokentray keeps trying."}}},
		{"expired", nil},
		{"sign-in required", []Note{{"Sign-in required", "Work needs you to sign in again. invalid_grant"}}},
		{"sign-in required", nil},
	}
	for i, s := range steps {
		if d := cmp.Diff(s.want, n.Update(acc(s.state), now)); d != "" {
			t.Errorf("step %d (%s) (-want +got):\n%s", i, s.state, d)
		}
	}
}

func TestNotifierWarnsOnceBeforeTheRefreshTokenEnds(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var n Notifier
	a := []Account{{ID: "n", Name: "Phones", Provider: "net2phone", State: "valid", RefreshExpiry: now.Add(10 * 24 * time.Hour)}}
	if notes := n.Update(a, now); len(notes) != 0 {
		t.Fatalf("10 days before: %v", notes)
	}
	later := now.Add(4 * 24 * time.Hour)
	if notes := n.Update(a, later); len(notes) != 1 || notes[0].Title != "Phones sign-in ends soon" {
		t.Fatalf("6 days before: %v", notes)
	}
	if notes := n.Update(a, later.Add(time.Hour)); len(notes) != 0 {
		t.Fatalf("warned twice: %v", notes)
	}
}
