package model

import (
	"encoding/json"
	"testing"
	"time"
)

// Every state and problem class is written by name and read back; a name Tokentray does not know
// is refused, never taken for a state.
func TestStatesAndProblemsAreWrittenByName(t *testing.T) {
	for s := SignedOut; s <= SignInRequired; s++ {
		b, err := json.Marshal(s)
		var back State
		if err != nil || json.Unmarshal(b, &back) != nil || back != s || string(b) != `"`+s.String()+`"` {
			t.Errorf("state %d: %s reads back as %v (%v)", s, b, back, err)
		}
	}
	for c := NoProblem; c <= RenewingTooOften; c++ {
		b, _ := json.Marshal(c)
		var back ProblemClass
		if err := json.Unmarshal(b, &back); err != nil || back != c {
			t.Errorf("problem %d: %s reads back as %v (%v)", c, b, back, err)
		}
	}
	var s State
	if err := s.UnmarshalText([]byte("valid-ish")); err == nil {
		t.Error("an unknown state was read")
	}
	if State(42).String() != "state 42" {
		t.Error("an unknown state's name")
	}
}

// What a state says of the account: whether the person must act, and whether a credential is held.
func TestWhatAStateSays(t *testing.T) {
	for s, want := range map[State][2]bool{ // NeedsUser, HasCredential
		SignedOut: {false, false}, Valid: {false, true}, Refreshing: {false, true}, Retrying: {false, true},
		Expired: {true, true}, Paused: {false, true}, SignInRequired: {true, false},
	} {
		if got := [2]bool{s.NeedsUser(), s.HasCredential()}; got != want {
			t.Errorf("%v: NeedsUser, HasCredential = %v, want %v", s, got, want)
		}
	}
}

// A sign-in ends with its token when the sign-in's end is no later than the token's; a session,
// or a sign-in whose end is unknown, does not.
func TestEndsWithToken(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		a    Account
		want bool
	}{
		{Account{Expiry: now, RefreshExpiry: now}, true},
		{Account{Expiry: now.Add(time.Hour), RefreshExpiry: now}, true},
		{Account{Expiry: now, RefreshExpiry: now.Add(90 * 24 * time.Hour)}, false},
		{Account{Expiry: now}, false},
		{Account{Expiry: now, RefreshExpiry: now, Session: true}, false},
	} {
		if got := tc.a.EndsWithToken(); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.a, got, tc.want)
		}
	}
}

// Listeners are each told once per change, and one removed is told no more.
func TestListeners(t *testing.T) {
	var l Listeners
	var a, b int
	l.Add(func() { a++ })
	remove := l.Add(func() { b++ })
	l.Notify()
	remove()
	l.Notify()
	if a != 2 || b != 1 {
		t.Fatalf("told %d and %d times, want 2 and 1", a, b)
	}
	if Default.String() == AtLeast(time.Minute).String() {
		t.Error("the default validity reads as an explicit one")
	}
}
