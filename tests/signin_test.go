package tests

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"tokentray/app/accounts"
	"tokentray/app/config"
	"tokentray/app/model"

	"github.com/google/uuid"
	"github.com/zalando/go-keyring"

	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// managerFor makes an account pointed at fake (its settings changed as set says), with its client
// secret in a keyring service of the test's own, and its manager.
func managerFor(t *testing.T, fake *fakeidp.Server, set ...map[string]string) (*accounts.Manager, model.AccountID, *auth.Keyring) {
	t.Helper()
	testenv.Keyring(t)
	logs.Track(fake.Issued)
	store := auth.NewKeyring("tokentray-test-" + uuid.NewString())
	t.Cleanup(func() { _ = keyring.DeleteAll(store.Service) })
	id := model.AccountID(uuid.NewString())
	if fake.ClientSecret != "" {
		if err := store.Set(string(id), "client_secret", fake.ClientSecret); err != nil {
			t.Fatal(err)
		}
	}
	settings := fake.Settings()
	for _, m := range set {
		maps.Copy(settings, m)
	}
	cfg := &config.Config{Version: 1, Accounts: []config.Account{{ID: id, Name: "e2e " + string(fake.Kind), Provider: string(fake.Kind), Settings: settings}}}
	return accounts.NewManager(cfg, accounts.Options{Store: store}), id, store
}

func TestSignInThroughChromium(t *testing.T) {
	chromium := testenv.StartChromium(t)
	for _, kind := range []fakeidp.Kind{fakeidp.Net2Phone, fakeidp.Avaya, fakeidp.OIDC} {
		t.Run(string(kind), func(t *testing.T) {
			fake := fakeidp.Start(kind)
			defer fake.Close()
			m, id, _ := managerFor(t, fake)
			err := m.SignIn(context.Background(), id, auth.SignInUI{OpenURL: chromium.Browser(t, "allow"), Timeout: time.Minute})
			if page := <-chromium.Pages; page != "Signed in" {
				t.Errorf("the browser ended on %q, want the \"Signed in\" page", page)
			}
			if err != nil {
				t.Fatalf("SignIn: %v", err)
			}
			cred, err := m.Credential(context.Background(), id, accounts.AtLeast(time.Minute))
			if err != nil || !fake.AccessValid(cred.Value.Reveal()) {
				t.Fatalf("after sign-in: credential %v, valid at the provider %v", err, fake.AccessValid(cred.Value.Reveal()))
			}
			if st, _ := m.Status(id); st.State != accounts.Valid || st.Identity.Username != fake.User.Username {
				t.Fatalf("status %+v", st)
			}
		})
	}
	t.Run("deny", func(t *testing.T) {
		fake := fakeidp.Start(fakeidp.Avaya)
		defer fake.Close()
		m, id, store := managerFor(t, fake)
		err := m.SignIn(context.Background(), id, auth.SignInUI{OpenURL: chromium.Browser(t, "deny"), Timeout: time.Minute})
		if page := <-chromium.Pages; page != "You declined access" {
			t.Errorf("the browser ended on %q", page)
		}
		if !errors.Is(err, auth.ErrDenied) {
			t.Fatalf("err = %v, want ErrDenied", err)
		}
		if st, _ := m.Status(id); st.State != accounts.SignedOut {
			t.Fatalf("state after a denial: %v", st.State)
		}
		if _, err := store.Get(string(id), "token"); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("a denial stored something: %v", err)
		}
		if n := fake.Count(fake.TokenPath(), ""); n != 0 {
			t.Fatalf("%d token requests after a denial", n)
		}
	})
}

func TestOnSIPSignInThroughChromium(t *testing.T) {
	chromium := testenv.StartChromium(t)
	for _, method := range []string{"slack", "google"} {
		t.Run(method, func(t *testing.T) {
			testenv.Keyring(t)
			fake := fakeidp.StartOnSIP()
			defer fake.Close()
			logs.Track(fake.Issued)
			store := auth.NewKeyring("tokentray-test-" + uuid.NewString())
			t.Cleanup(func() { _ = keyring.DeleteAll(store.Service) })
			id := model.AccountID(uuid.NewString())
			m := accounts.NewManager(&config.Config{Version: 1, Accounts: []config.Account{{ID: id, Name: "onsip " + method, Provider: "onsip", Settings: fake.Settings(method)}}},
				accounts.Options{Store: store})
			err := m.SignIn(context.Background(), id, auth.SignInUI{OpenURL: chromium.Browser(t, "allow"), Timeout: time.Minute})
			if page := <-chromium.Pages; page != "Signed in" {
				t.Errorf("the browser ended on %q", page)
			}
			if err != nil {
				t.Fatalf("SignIn: %v", err)
			}
			cred, err := m.Credential(context.Background(), id, accounts.AtLeast(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if user, ok := fake.Live(cred.Value.Reveal()); !ok || user != "555555" {
				t.Fatalf("the SessionId is not a live session at OnSIP (%v, %s)", ok, user)
			}
		})
	}
}
