package app

import (
	"path/filepath"
	"strings"
	"testing"

	"tokentray/app/config"
	"tokentray/app/ipc"
	"tokentray/auth"
)

func TestUpdateAccountValidatesAndKeepsUntypedSecrets(t *testing.T) {
	dir := t.TempDir()
	paths := config.Paths{Config: filepath.Join(dir, "accounts.toml")}
	store := auth.NewMemoryKeyring()
	a, err := AddAccount(paths, store, "Work", "avaya", map[string]string{"client_id": "c1"}, map[string]string{"client_secret": "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AddAccount(paths, store, "Home", "avaya", map[string]string{"client_id": "c"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := UpdateAccount(paths, store, a.ID, "home", map[string]string{"client_id": "c1"}, nil); err == nil {
		t.Fatal("renamed onto another account's name")
	}
	if err := UpdateAccount(paths, store, a.ID, "Work 2", map[string]string{"client_id": "c2"}, map[string]string{"client_secret": ""}); err != nil {
		t.Fatal(err)
	}
	cfg, _ := config.LoadConfig(paths.Config)
	got, _ := cfg.AccountByID(a.ID)
	if got.Name != "Work 2" || got.Settings["client_id"] != "c2" {
		t.Fatalf("after update: %+v", got)
	}
	if v, _ := store.Get(string(a.ID), "client_secret"); v != "s1" {
		t.Fatalf("an empty secret replaced the stored one: %q", v)
	}
}

// The socket refuses a negative min_valid rather than hand out an expired token.
func TestANegativeMinValidIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accounts.toml")
	if err := config.SaveConfig(path, &config.Config{Accounts: []config.Account{{ID: id1, Name: "Work", Provider: "avaya", Settings: map[string]string{"client_id": "c"}}}}); err != nil {
		t.Fatal(err)
	}
	core := NewCore(Deps{Paths: config.Paths{Config: path}, Store: nullStore{}})
	r, _ := core.Answer(t.Context(), ipc.Request{Op: "token", Account: "Work", MinValid: "-1s"}, Call{})
	if r.Code != ipc.ExitUsage || r.Token != nil || !strings.Contains(r.Error, "not negative") {
		t.Fatalf("%+v", r)
	}
}

// nullStore is a keyring that holds nothing.
type nullStore struct{}

func (nullStore) Get(string, string) (string, error) { return "", auth.ErrNotFound }
func (nullStore) Set(string, string, string) error   { return nil }
func (nullStore) Delete(string, string) error        { return nil }
func (nullStore) DeleteAccount(string) error         { return nil }

// Account ids the tests use.
const (
	id1 = "0b7f6a52-3a0e-4c41-9a57-5d3c1c2f8e01"
	id2 = "7d1f8c55-9b0a-4b8e-8f43-2e6a5c9d1b02"
)
