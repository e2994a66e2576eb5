package tray

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tokentray/app/model"
)

func TestNotifierOncePerChange(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var n Notifier
	acc := func(state model.State, signingIn bool, expiry time.Time) []model.Account {
		return []model.Account{{ID: "a", Name: "Work", Provider: "avaya", State: state, SigningIn: signingIn, Expiry: expiry, Identity: "Ann <ann@x>",
			Problem: model.Problem{Class: model.Network}}}
	}
	t0, t1 := now.Add(time.Hour), now.Add(2*time.Hour)
	steps := []struct {
		name string
		accs []model.Account
		want []Note
	}{
		{"signed out", acc(model.SignedOut, false, time.Time{}), nil}, // first sight: nothing to announce
		{"signing in", acc(model.SignedOut, true, time.Time{}), nil},
		{"signed in", acc(model.Valid, false, t0), []Note{{"Signed in", "Work is signed in as Ann <ann@x>."}}},
		{"valid", acc(model.Valid, false, t0), nil},
		{"refreshing", acc(model.Refreshing, false, t0), nil},
		{"a new sign-in, cancelled", acc(model.Valid, true, t0), nil},
		{"cancelled", acc(model.Valid, false, t0), nil},
		{"a new sign-in", acc(model.Valid, true, t0), nil},
		{"signed in again", acc(model.Valid, false, t1), []Note{{"Signed in", "Work is signed in as Ann <ann@x>."}}},
		{"retrying", acc(model.Retrying, false, t1), nil},
		{"expired", acc(model.Expired, false, t1), []Note{{"Work token expired", "Renewing it kept failing (network); Tokentray keeps trying."}}},
		{"still expired", acc(model.Expired, false, t1), nil},
		{"sign-in required", acc(model.SignInRequired, false, t1), []Note{{"Sign-in required", "Work needs you to sign in again. Can't reach the provider — check your network."}}},
		{"still", acc(model.SignInRequired, false, t1), nil},
		{"signed in once more", acc(model.Valid, false, t0), nil},
		// the provider down: every failed retry moves the account Expired → Refreshing → Expired
		{"expired again", acc(model.Expired, false, t0), []Note{{"Work token expired", "Renewing it kept failing (network); Tokentray keeps trying."}}},
		{"retry 1", acc(model.Refreshing, false, t0), nil},
		{"retry 1 failed", acc(model.Expired, false, t0), nil},
		{"retry 2", acc(model.Refreshing, false, t0), nil},
		{"retry 2 failed", acc(model.Expired, false, t0), nil},
		{"the grant refused at last", acc(model.SignInRequired, false, t0), []Note{{"Sign-in required", "Work needs you to sign in again. Can't reach the provider — check your network."}}},
		{"a retry by hand", acc(model.Refreshing, false, t0), nil},
		{"refused again", acc(model.SignInRequired, false, t0), nil},
	}
	for i, s := range steps {
		if d := cmp.Diff(s.want, n.Update(s.accs, now)); d != "" {
			t.Errorf("step %d (%s) (-want +got):\n%s", i, s.name, d)
		}
	}
}

func TestNotifierWarnsOnceBeforeTheRefreshTokenEnds(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var n Notifier
	a := []model.Account{{ID: "n", Name: "Phones", Provider: "net2phone", State: model.Valid, RefreshExpiry: now.Add(10 * 24 * time.Hour)}}
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

// A sign-in that cannot be renewed says so when it is made, and is not warned about as a refresh
// token that ends within the week.
func TestNotifierSaysASignInEndsWithItsToken(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.Local)
	var n Notifier
	end := now.Add(time.Hour)
	n.Update([]model.Account{{ID: "n", Name: "Phones", State: model.SignedOut, SigningIn: true}}, now)
	got := n.Update([]model.Account{{ID: "n", Name: "Phones", State: model.Valid, Expiry: end, RefreshExpiry: end, Identity: "Ann"}}, now)
	want := []Note{{"Signed in", "Phones is signed in as Ann. The provider gave no refresh token: the sign-in ends with its token, at 13:00."}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
}
