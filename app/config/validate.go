package config

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"tokentray/auth/kinds"
	"tokentray/auth/text"

	"github.com/google/uuid"
)

// InvalidAccount says what is wrong with an account and which key is at fault ("" for the account itself).
type InvalidAccount struct {
	Key string
	Msg string
}

func (e *InvalidAccount) Error() string { return e.Msg }

// invisible reports a character that shows nothing, or breaks a line, where a name is shown: a
// format character (zero-width space and joiners, a byte order mark, tag characters, a soft
// hyphen; Unicode Cf) or a line or paragraph separator (Zl, Zp).
func invisible(r rune) bool { return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) }

// MaxNameLength is the longest account name, in characters.
const MaxNameLength = 100

// ValidateAccount checks a against its provider kind and against the other accounts. The accounts
// file, the account form and the command line all use it, so they accept the same accounts.
func ValidateAccount(a Account, others []Account) *InvalidAccount {
	if err := uuid.Validate(string(a.ID)); err != nil {
		return &InvalidAccount{"id", fmt.Sprintf("account %q: id %q is not a UUID", a.Name, a.ID)}
	}
	if strings.TrimSpace(a.Name) == "" {
		return &InvalidAccount{"name", "an account has no name"}
	}
	if !text.IsPrintable(a.Name, MaxNameLength) || strings.ContainsRune(a.Name, '\ufffd') {
		return &InvalidAccount{"name", fmt.Sprintf("account %q: a name is printable text of at most %d characters, without control characters, line breaks or direction marks",
			text.Printable(a.Name, 40), MaxNameLength)}
	}
	if i := strings.IndexFunc(a.Name, invisible); i >= 0 {
		r, _ := utf8.DecodeRuneInString(a.Name[i:])
		return &InvalidAccount{"name", fmt.Sprintf("account %q: the name holds an invisible character (U+%04X); two names that look alike must be told apart, so use visible text",
			text.Printable(a.Name, 40), r)}
	}
	for _, o := range others {
		if strings.EqualFold(o.Name, a.Name) && o.ID != a.ID {
			return &InvalidAccount{"name", fmt.Sprintf("two accounts are called %q; names must differ (ignoring case)", a.Name)}
		}
		if o.ID == a.ID {
			return &InvalidAccount{"id", fmt.Sprintf("accounts %q and %q have the same id %s", o.Name, a.Name, a.ID)}
		}
	}
	kind, ok := kinds.Lookup(a.Provider)
	if !ok {
		return &InvalidAccount{"provider", fmt.Sprintf("account %q: unknown provider %q; use one of %s",
			a.Name, a.Provider, strings.Join(kinds.Names(), ", "))}
	}
	for key, v := range a.Settings {
		f, ok := kind.Field(key)
		switch {
		case !ok:
			return &InvalidAccount{"settings." + key, fmt.Sprintf("account %q: %s has no setting %q; its settings are %s",
				a.Name, kind.Title, key, strings.Join(settingKeys(kind), ", "))}
		case f.Secret:
			return &InvalidAccount{"settings." + key, fmt.Sprintf(
				"account %q: %s is a secret and is kept in the system keyring, never in the accounts file "+
					"(remove it from the file; on the command line give it with --secret %s --secret-stdin)", a.Name, key, key)}
		case v != "":
			if err := f.Check(v); err != nil {
				return &InvalidAccount{"settings." + key, fmt.Sprintf("account %q: %v", a.Name, err)}
			}
		}
	}
	for _, f := range kind.Fields {
		// Conditional requirements (When) are checked for new and edited accounts only
		// (CheckNewAccount): a file written before them still loads.
		if f.Required && !f.Secret && f.When == nil && a.Settings[f.Key] == "" {
			return &InvalidAccount{"", fmt.Sprintf("account %q: %s needs the setting %s (%s)", a.Name, kind.Title, f.Key, f.Help)}
		}
	}
	return nil
}

// settingKeys lists the keys of kind's settings that are not secrets.
func settingKeys(kind kinds.Kind) []string {
	var keys []string
	for _, f := range kind.Fields {
		if !f.Secret {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// CheckNewAccount checks a new or edited account further than the accounts file is checked:
// every setting its kind requires for it (OnSIP's username with password sign-in, say), its
// kind's own rule (Net2Phone's fixed redirect port), and, when adding, its required secrets
// among secrets.
func CheckNewAccount(a Account, secrets map[string]string, adding bool) *InvalidAccount {
	kind := a.Kind()
	for _, f := range kind.Fields {
		if !f.Required || !kind.Applies(f, a.Settings) {
			continue
		}
		switch {
		case f.Secret && adding && secrets[f.Key] == "":
			return &InvalidAccount{f.Key, fmt.Sprintf("account %q: %s needs the secret %s (%s); give it with --secret %s --secret-stdin",
				a.Name, kind.Title, f.Key, f.Help, f.Key)}
		case !f.Secret && a.Settings[f.Key] == "":
			return &InvalidAccount{"settings." + f.Key, fmt.Sprintf("account %q: %s needs the setting %s (%s)", a.Name, kind.Title, f.Key, f.Help)}
		}
	}
	if kind.Check != nil {
		if key, err := kind.Check(func(k string) string { return kind.Setting(a.Settings, k) }); err != nil {
			return &InvalidAccount{key, fmt.Sprintf("account %q: %v", a.Name, err)}
		}
	}
	return nil
}
