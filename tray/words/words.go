// Package words is what the tray and the accounts window say about an account, chosen from the
// core's typed states and problem classes (the core's own details are for the log and
// `tokentray status`): the one place a person's words are written.
package words

import (
	"fmt"
	"time"

	"tokentray/app/model"
	"tokentray/auth/kinds"
)

// Summary is an account's state at a glance, e.g. "valid for 52 min".
func Summary(a model.Account, now time.Time) string {
	if a.SigningIn && !a.State.HasCredential() {
		return "signing in…"
	}
	switch a.State {
	case model.Valid:
		if a.Session {
			return "session active"
		}
		return "valid for " + HumanDuration(a.Expiry.Sub(now))
	case model.Refreshing:
		return "refreshing…"
	case model.Retrying:
		return "retrying — " + Reason(a.Problem.Class)
	case model.Expired:
		return "expired — retrying"
	case model.Paused:
		return "paused — renewing too often"
	}
	return a.State.String()
}

// Reason names a transient problem in a word or two.
func Reason(c model.ProblemClass) string {
	switch c {
	case model.KeyringTrouble:
		return "keyring"
	case model.ProviderFault:
		return "server busy"
	case model.RenewingTooOften:
		return "renewing too often"
	}
	return "network"
}

// Sentence says what went wrong with an account and what to do, in one sentence a person
// understands; "" when nothing is wrong.
func Sentence(a model.Account, now time.Time) string {
	p := a.Problem
	retry := ""
	if !p.RetryAt.IsZero() {
		retry = "; retrying in " + HumanDuration(p.RetryAt.Sub(now))
		if p.RetryAt.Sub(now) < time.Minute {
			retry = fmt.Sprintf("; retrying in %d s", max(1, int(p.RetryAt.Sub(now).Seconds()+0.5)))
		}
	}
	host := p.Host
	switch p.Class {
	case model.NoProblem:
		return ""
	case model.SignInNeeded:
		return "The provider no longer accepts this sign-in — sign in again."
	case model.Network:
		if host == "" {
			host = "the provider"
		}
		return "Can't reach " + host + " — check your network" + retry + "."
	case model.ProviderFault:
		if host == "" {
			host = "The provider"
		}
		return host + " is having trouble" + retry + "."
	case model.KeyringTrouble:
		if a.Unsaved {
			return "The system keyring is locked or not answering — unlock it; the renewed sign-in is kept meanwhile."
		}
		return "The system keyring is locked or not answering — unlock it" + retry + "."
	case model.Configuration:
		return "This account's settings can't work — edit it: " + p.Detail
	case model.RenewingTooOften:
		return "Renewals are paused: each new credential was due again at once (a clock may be wrong)" + retry + "."
	}
	return p.Detail
}

// CredentialName is what the account's credential is called in menus and messages.
func CredentialName(a model.Account) string {
	if a.Session {
		return "SessionId"
	}
	return "token"
}

// ProviderTitle is what a person calls the provider kind, e.g. "Avaya Spaces".
func ProviderTitle(kind string) string {
	if k, ok := kinds.Lookup(kind); ok {
		return k.Title
	}
	return kind
}

// HumanDuration writes d as a person says it: "less than a minute", "52 min", "3 h", "5 days".
func HumanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < 2*time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Round(time.Hour)/time.Hour))
	case d < 7*24*time.Hour: // "2 days 23 h", not "2 days"
		d = d.Round(time.Hour)
		days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
		if hours == 0 {
			return fmt.Sprintf("%d days", days)
		}
		return fmt.Sprintf("%d days %d h", days, hours)
	}
	return fmt.Sprintf("%d days", int(d.Round(24*time.Hour)/(24*time.Hour)))
}

// CopiedMessage says what was copied, e.g. "Copied Work Avaya token — valid for 54 min, cleared
// from the clipboard in 2 min".
func CopiedMessage(a model.Account, expiry, now time.Time, asHeader bool, clearAfter time.Duration) string {
	what := CredentialName(a)
	if asHeader {
		what = "Authorization header"
	}
	msg := fmt.Sprintf("Copied %s %s — valid for %s", a.Name, what, HumanDuration(expiry.Sub(now)))
	if a.Session {
		msg = fmt.Sprintf("Copied %s %s — session active", a.Name, what)
	}
	if clearAfter > 0 {
		msg += ", cleared from the clipboard in " + HumanDuration(clearAfter)
	}
	return msg
}
