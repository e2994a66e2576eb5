package accounts

import (
	"context"
	"time"
)

// dueAtLocked is when the schedule should next act on a; zero when it should not.
func (m *Manager) dueAtLocked(a *account) time.Time {
	switch a.st.State {
	case Valid:
		if a.interrupted {
			return a.obtained // a run stopped mid-renewal: find out now whether the grant lives
		}
		if a.tok.Session || !a.renewable() {
			// a session is checked when its interval is up: it has no lifetime to beat; a token that
			// cannot be renewed is used to its end, and then the account needs the user
			return a.tok.Expiry
		}
		return a.tok.Expiry.Add(-m.marginLocked(a))
	case Retrying, Expired, Paused:
		return a.retryAt
	case SignedOut:
		if a.unread {
			return a.retryAt // read the keyring again
		}
	}
	return time.Time{}
}

// Run keeps every account fresh until ctx ends: it renews each credential a margin before it
// expires and retries transient failures with backoff. It sleeps at most Tick at a time and
// compares against the wall clock, so time spent suspended is noticed on waking.
func (m *Manager) Run(ctx context.Context) {
	for {
		now := m.o.Now()
		t := time.NewTimer(m.scan(now).Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-m.wake:
			t.Stop()
		}
	}
}

// scan starts every renewal that is due at now, and every retry of storing a credential the
// keyring refused, and returns when the next one falls due, or now+Tick.
func (m *Manager) scan(now time.Time) time.Time {
	next := now.Add(m.o.Tick)
	var paused []Status
	m.mu.Lock()
	for _, a := range m.accs {
		if a.st.Unsaved && !a.saving && !now.Before(a.saveAt) {
			a.saving = true
			go m.save(a)
		}
		due := m.dueAtLocked(a)
		switch {
		case due.IsZero() || a.flight != nil:
		case !due.After(now):
			if m.allowLocked(a, now) {
				m.renewLocked(a)
			} else {
				paused = append(paused, a.st)
				next = minTime(next, a.retryAt)
			}
		case due.Before(next):
			next = due
		}
		if a.st.Unsaved && !a.saving {
			next = minTime(next, a.saveAt)
		}
	}
	m.mu.Unlock()
	m.publish(paused...)
	return next
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// poke makes Run look at the schedule again now.
func (m *Manager) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}
