package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// LookupError is an unknown or ambiguous account name, with the names that were possible.
type LookupError struct {
	Name       string
	Candidates []string
	Ambiguous  bool
}

func (e *LookupError) Error() string {
	list := strings.Join(e.Candidates, ", ")
	switch {
	case e.Ambiguous:
		return fmt.Sprintf("%q matches several accounts: %s; give more of the name", e.Name, list)
	case len(e.Candidates) == 0:
		return fmt.Sprintf("no account %q; there are no accounts yet", e.Name)
	}
	return fmt.Sprintf("no account %q; the accounts are: %s", e.Name, list)
}

// ResolveAccount finds the account a person means by name: its id, its name in any case, or a
// beginning of the name or of any word in it ("onsip" finds "Demo OnSIP", "back" finds
// "work-backup") that only one account has.
func ResolveAccount(accs []Account, name string) (Account, error) {
	var names, prefixed []string
	var match Account
	for _, a := range accs {
		if a.ID == name || strings.EqualFold(a.Name, name) {
			return a, nil
		}
		names = append(names, a.Name)
		if startsAWord(a.Name, name) {
			prefixed = append(prefixed, a.Name)
			match = a
		}
	}
	switch len(prefixed) {
	case 1:
		return match, nil
	case 0:
		slices.Sort(names)
		return Account{}, &LookupError{Name: name, Candidates: names}
	}
	slices.Sort(prefixed)
	return Account{}, &LookupError{Name: name, Candidates: prefixed, Ambiguous: true}
}

// startsAWord reports whether query, in any case, begins name or one of its words (separated by
// spaces, hyphens, underscores, dots or slashes).
func startsAWord(name, query string) bool {
	name, query = strings.ToLower(name), strings.ToLower(query)
	if query == "" {
		return false
	}
	if strings.HasPrefix(name, query) {
		return true
	}
	for i, r := range name {
		if strings.ContainsRune(" -_./", r) && strings.HasPrefix(name[i+1:], query) {
			return true
		}
	}
	return false
}

// AddAccount validates a new account as the accounts file does, stores its secrets in the keyring,
// then saves the accounts file; on any failure nothing is left behind. The id is made here.
func AddAccount(paths Paths, store Keyring, name, kind string, settings, secrets map[string]string) (Account, error) {
	cfg, err := LoadConfig(paths.Config)
	if err != nil {
		return Account{}, err
	}
	a := Account{ID: uuid.NewString(), Name: strings.TrimSpace(name), Provider: kind, Settings: settings}
	if a.Settings == nil {
		a.Settings = map[string]string{}
	}
	if err := ValidateAccount(a, cfg.Accounts); err != nil {
		return Account{}, err
	}
	if err := CheckNewAccount(a, secrets, true); err != nil {
		return Account{}, err
	}
	for key := range secrets {
		if f, ok := a.Kind().Field(key); !ok || !f.Secret {
			return Account{}, &InvalidAccount{key, fmt.Sprintf("%s has no secret %q", a.Kind().Title, key)}
		}
	}
	for key, v := range secrets {
		if err := store.Set(a.ID, key, v); err != nil {
			_ = store.DeleteAccount(a.ID)
			return Account{}, err
		}
	}
	cfg.Accounts = append(cfg.Accounts, a)
	if err := SaveConfig(paths.Config, cfg); err != nil {
		_ = store.DeleteAccount(a.ID)
		return Account{}, err
	}
	return a, nil
}

// RemoveAccount deletes every secret of the account, then drops it from the accounts file. The
// caller signs it out first, where it can.
func RemoveAccount(paths Paths, store Keyring, id string) error {
	cfg, err := LoadConfig(paths.Config)
	if err != nil {
		return err
	}
	if _, ok := cfg.AccountByID(id); !ok {
		return ErrNoAccount
	}
	if err := store.DeleteAccount(id); err != nil {
		return fmt.Errorf("could not delete the account's secrets, so it is kept: %w", err)
	}
	cfg.Accounts = slices.DeleteFunc(cfg.Accounts, func(a Account) bool { return a.ID == id })
	return SaveConfig(paths.Config, cfg)
}

// SavePreferences replaces the preferences in the accounts file.
func SavePreferences(paths Paths, p Preferences) error {
	cfg, err := LoadConfig(paths.Config)
	if err != nil {
		return err
	}
	for key, v := range map[string]string{"clipboard_clear": p.ClipboardClear, "min_valid": p.MinValid, "refresh_margin": p.RefreshMargin} {
		if d, err := time.ParseDuration(v); v != "" && (err != nil || d < 0) {
			return fmt.Errorf("%s must be a duration such as 90s or 5m, not %q", key, v)
		}
	}
	cfg.Settings = p
	return SaveConfig(paths.Config, cfg)
}

// UpdateAccount changes an account's name and settings, and replaces the secrets given (an
// absent or empty secret is left as it is), validated as the accounts file is. The provider kind
// does not change: that is a new account.
func UpdateAccount(paths Paths, store Keyring, id, name string, settings, secrets map[string]string) error {
	cfg, err := LoadConfig(paths.Config)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cfg.Accounts, func(a Account) bool { return a.ID == id })
	if i < 0 {
		return ErrNoAccount
	}
	a := cfg.Accounts[i]
	a.Name, a.Settings = strings.TrimSpace(name), settings
	if a.Settings == nil {
		a.Settings = map[string]string{}
	}
	others := slices.Delete(slices.Clone(cfg.Accounts), i, i+1)
	if err := ValidateAccount(a, others); err != nil {
		return err
	}
	if err := CheckNewAccount(a, secrets, false); err != nil {
		return err
	}
	for key, v := range secrets {
		if f, ok := a.Kind().Field(key); !ok || !f.Secret {
			return &InvalidAccount{key, fmt.Sprintf("%s has no secret %q", a.Kind().Title, key)}
		}
		if v != "" {
			if err := store.Set(id, key, v); err != nil {
				return err
			}
		}
	}
	cfg.Accounts[i] = a
	return SaveConfig(paths.Config, cfg)
}
