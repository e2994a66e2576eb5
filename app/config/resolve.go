package config

import (
	"fmt"
	"slices"
	"strings"
	"time"
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
		if string(a.ID) == name || strings.EqualFold(a.Name, name) {
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
