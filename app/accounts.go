package app

import (
	"fmt"
	"slices"
	"strings"
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
// beginning of a name that only one account has.
func ResolveAccount(accs []Account, name string) (Account, error) {
	var names, prefixed []string
	var match Account
	for _, a := range accs {
		if a.ID == name || strings.EqualFold(a.Name, name) {
			return a, nil
		}
		names = append(names, a.Name)
		if strings.HasPrefix(strings.ToLower(a.Name), strings.ToLower(name)) {
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
