package accounts

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"tokentray/app/config"
	"tokentray/app/model"
	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/auth/fakeidp/faults"
)

func short(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:4]) }

// crashChild runs in a child process: it renews the account's token over and over, printing
// "stored <hash>" once each new refresh token is in the keyring, until it is killed.
func crashChild() {
	var cfg config.Config
	_ = json.Unmarshal([]byte(os.Getenv("TOKENTRAY_CRASH_CONFIG")), &cfg)
	m := NewManager(&cfg, Options{Store: auth.NewKeyring(os.Getenv("TOKENTRAY_CRASH_SERVICE")),
		AfterStore: func(_ model.AccountID, t *auth.Token) { fmt.Printf("stored %s\n", short(t.RefreshToken.Reveal())) }})
	fmt.Println("ready")
	for {
		_ = m.RenewNow(context.Background(), cfg.Accounts[0].ID)
	}
}

// TestKillDuringRefreshLosesOnlyTheTokenInFlight kills a process at random moments while it
// renews a rotating refresh token as fast as it can, many times, and checks what the keyring holds
// after each kill. A stored refresh token the provider has already replaced can only come from a
// kill after the provider rotated and before the keyring write finished: the stored token is then
// exactly the one before the last rotation, and the process had not reported storing the last.
func TestKillDuringRefreshLosesOnlyTheTokenInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a process 40 times")
	}
	f := newFixture(t, fakeidp.Avaya, nil)
	f.fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 2 * time.Second })
	var mu sync.Mutex
	var rotated []string // hashes of refresh tokens as the fake issued them
	faults.OnRefresh(f.fake, func(rt string) { mu.Lock(); rotated = append(rotated, short(rt)); mu.Unlock() })
	cfgJSON, _ := json.Marshal(f.cfg)

	const runs = 40
	stale, staleWindow := 0, 0
	for run := range runs {
		mu.Lock()
		before := len(rotated)
		mu.Unlock()
		baseline := short(f.stored(t).RefreshToken.Reveal()) // what the keyring holds as the run starts
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "TOKENTRAY_CRASH_CHILD=1", "TOKENTRAY_CRASH_CONFIG="+string(cfgJSON),
			"TOKENTRAY_CRASH_SERVICE="+f.store.Service)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		sc.Scan() // "ready"
		lines := make(chan []string, 1)
		go func() {
			var got []string
			for sc.Scan() {
				got = append(got, sc.Text())
			}
			lines <- got
		}()
		time.Sleep(time.Duration(20+rand.IntN(150)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		printed := <-lines

		// A renewal the child sent before it died may still reach the provider: what it rotates
		// then is in flight too. Wait until the provider has been quiet for a moment.
		var issued []string
		for {
			mu.Lock()
			issued = append([]string(nil), rotated...)
			mu.Unlock()
			time.Sleep(100 * time.Millisecond)
			mu.Lock()
			quiet := len(rotated) == len(issued)
			mu.Unlock()
			if quiet {
				break
			}
		}
		if len(issued) == before {
			continue // killed before its first renewal reached the fake
		}
		stored := f.stored(t)
		if f.fake.RefreshValid(stored.RefreshToken.Reveal()) {
			continue
		}
		stale++
		issued = issued[before:]
		last, prev := issued[len(issued)-1], baseline
		if len(issued) >= 2 {
			prev = issued[len(issued)-2]
		}
		inWindow := short(stored.RefreshToken.Reveal()) == prev && !contains(printed, "stored "+last)
		if !inWindow {
			t.Errorf("run %d: the keyring holds a replaced refresh token outside the response-to-write window", run)
		}
		staleWindow++
		// Recover for the next run, as the user would: sign in again.
		if err := NewManager(f.cfg, f.opts).SignIn(context.Background(), f.id, auth.SignInUI{OpenURL: fakeidp.Browser(true)}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	total := len(rotated)
	mu.Unlock()
	t.Logf("%d kills during %d rotations: %d left a replaced refresh token in the keyring, all %d in the window between the provider's answer and the keyring write",
		runs, total, stale, staleWindow)
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) == s {
			return true
		}
	}
	return false
}

// A kill while the provider answers a refresh (it has rotated the refresh token; the answer never
// arrives) loses a rotating grant: no client can help that. The renewal mark makes it known: the
// next start finds the mark, checks the grant at once, and says what happened, once, instead of
// failing silently an hour later.
func TestKillWhileTheProviderAnswersIsToldOnTheNextStart(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a process 5 times")
	}
	f := newFixture(t, fakeidp.Avaya, nil)
	rotated := make(chan struct{}, 100)
	faults.OnRefresh(f.fake, func(string) { rotated <- struct{}{} })
	faults.Set(f.fake, &faults.Fault{Grants: []string{"refresh_token"}, Hold: 5 * time.Second})
	cfgJSON, _ := json.Marshal(f.cfg)
	for run := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "TOKENTRAY_CRASH_CHILD=1", "TOKENTRAY_CRASH_CONFIG="+string(cfgJSON), "TOKENTRAY_CRASH_SERVICE="+f.store.Service)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-rotated: // the provider replaced the refresh token and holds its answer
		case <-time.After(10 * time.Second):
			t.Fatal("the child sent no refresh")
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if f.fake.RefreshValid(f.stored(t).RefreshToken.Reveal()) {
			t.Fatalf("run %d: the provider did not rotate", run)
		}
		restarted := NewManager(f.cfg, f.opts)
		restarted.scan(time.Now())
		restarted.settle(f.id)
		st, _ := restarted.Status(f.id)
		if st.State != SignInRequired || !strings.Contains(st.Err(), "stopped while renewing") {
			t.Fatalf("run %d: after the restart: %v (%s)", run, st.State, st.Err())
		}
		faults.Set(f.fake, nil) // the user signs in again
		if err := restarted.SignIn(context.Background(), f.id, auth.SignInUI{OpenURL: fakeidp.Browser(true)}); err != nil {
			t.Fatal(err)
		}
		faults.Set(f.fake, &faults.Fault{Grants: []string{"refresh_token"}, Hold: 5 * time.Second})
	}
}

// A renewal the provider refuses rotated nothing: its mark goes, so the next start does not say
// Tokentray was stopped while renewing.
func TestARefusedRenewalLeavesNoMark(t *testing.T) {
	f := newFixture(t, fakeidp.Avaya, nil)
	f.fake.RevokeAll()
	if err := f.m.RenewNow(context.Background(), f.id); !errors.Is(err, auth.ErrSignInRequired) {
		t.Fatalf("renewing a revoked grant: %v", err)
	}
	if mark, err := f.store.Get(string(f.id), secretRenewing); err == nil {
		t.Fatalf("the renewal mark stays: %q", mark)
	}
	restarted := NewManager(f.cfg, f.opts)
	restarted.scan(time.Now())
	restarted.settle(f.id)
	if st, _ := restarted.Status(f.id); strings.Contains(st.Err(), "stopped while renewing") {
		t.Fatalf("after a restart: %s", st.Err())
	}
}
