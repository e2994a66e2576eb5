package tray

import (
	"fmt"
	"time"

	"tokentray/app/model"
	"tokentray/tray/words"
)

// Note is a notification to show.
type Note struct{ Title, Body string }

// Notifier decides which state changes deserve a notification: sign-in required, a credential that
// expired because renewing kept failing, a refresh token that ends within 7 days, and a finished
// sign-in. One per change of state, never a stream: it remembers what each account last showed,
// and what it was last told of until the account works again (a failed retry moves it Expired →
// Refreshing → Expired, which is no change).
type Notifier struct {
	last   map[model.AccountID]model.Account
	told   map[model.AccountID]model.State // Expired or SignInRequired, told since the account last worked
	warned map[model.AccountID]time.Time   // the refresh expiry already warned about, per account
}

// RefreshWarning is how long before a refresh token ends the user is told to sign in again.
const RefreshWarning = 7 * 24 * time.Hour

// Update takes the accounts as they are now and returns the notifications their changes call for.
func (n *Notifier) Update(accs []model.Account, now time.Time) []Note {
	if n.last == nil {
		n.last, n.told, n.warned = map[model.AccountID]model.Account{}, map[model.AccountID]model.State{}, map[model.AccountID]time.Time{}
	}
	var notes []Note
	for _, a := range accs {
		prev, seen := n.last[a.ID]
		n.last[a.ID] = a
		told := n.told[a.ID]
		if seen && (prev.State != a.State || prev.SigningIn != a.SigningIn) {
			switch {
			case a.State == model.SignInRequired && told != model.SignInRequired:
				n.told[a.ID] = a.State
				body := a.Name + " needs you to sign in again."
				if s := words.Sentence(a, now); s != "" && a.Problem.Class != model.SignInNeeded {
					body += " " + s
				}
				notes = append(notes, Note{"Sign-in required", body})
			case a.State == model.Expired && told == 0:
				n.told[a.ID] = a.State
				notes = append(notes, Note{a.Name + " " + words.CredentialName(a) + " expired",
					"Renewing it kept failing (" + words.Reason(a.Problem.Class) + "); Tokentray keeps trying."})
			case prev.SigningIn && !a.SigningIn && a.State == model.Valid && (prev.State != model.Valid || !prev.Expiry.Equal(a.Expiry)):
				body := a.Name + " is signed in"
				if a.Identity != "" {
					body += " as " + a.Identity
				}
				body += "."
				if a.EndsWithToken() {
					body += fmt.Sprintf(" The provider gave no refresh token: the sign-in ends with its token, at %s.", a.Expiry.Local().Format("15:04"))
				}
				notes = append(notes, Note{"Signed in", body})
			}
		}
		if a.State == model.Valid || a.State == model.SignedOut {
			delete(n.told, a.ID) // it works again (or is at rest): the next trouble is news
		}
		if !a.RefreshExpiry.IsZero() && !a.EndsWithToken() && a.RefreshExpiry.Sub(now) < RefreshWarning && a.State == model.Valid && !n.warned[a.ID].Equal(a.RefreshExpiry) {
			n.warned[a.ID] = a.RefreshExpiry
			notes = append(notes, Note{a.Name + " sign-in ends soon", fmt.Sprintf(
				"Its sign-in ends in %s (%s). Sign in again before then to keep it working.", words.HumanDuration(a.RefreshExpiry.Sub(now)), a.RefreshExpiry.Local().Format("2 Jan"))})
		}
	}
	return notes
}
