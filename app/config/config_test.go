package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tokentray/tests/testenv"

	"github.com/google/go-cmp/cmp"
)

const (
	id1 = "0b7f6a52-3a0e-4c41-9a57-5d3c1c2f8e01"
	id2 = "7d1f8c55-9b0a-4b8e-8f43-2e6a5c9d1b02"
)

func TestConfigRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokentray", "accounts.toml")
	off := false
	want := &Config{Version: ConfigVersion, Settings: Preferences{ClipboardClear: "30s", Notifications: &off, RefreshMargin: "10m"}, Accounts: []Account{
		{ID: id1, Name: "Work Avaya", Provider: "avaya", Settings: map[string]string{"client_id": "c1", "environment": "staging", "redirect_port": "8765"}},
		{ID: id2, Name: "Google", Provider: "oidc", Settings: map[string]string{"issuer": "https://accounts.google.com", "client_id": "g"}},
	}}
	if err := SaveConfig(path, want); err != nil {
		t.Fatalf("SaveConfig: %v", err)
	}
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("round trip changed the config (-want +got):\n%s", d)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" { // Windows has no modes: %AppData%'s ACL admits the user alone
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("accounts file mode %v, want 0600", fi.Mode().Perm())
		}
		if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
			t.Errorf("config dir mode %v, want 0700", di.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("config dir holds %d entries, want only accounts.toml (no temporary file left)", len(entries))
	}
	if r := got.Settings.Resolved(); r.ClipboardClear != 30*time.Second || r.MinValid != 5*time.Minute || r.Notifications ||
		r.RefreshMargin != 10*time.Minute {
		t.Errorf("preferences %+v", got.Settings)
	}
	if got.Accounts[0].Setting("scopes") != "email profile spaces" {
		t.Errorf("default scopes = %q", got.Accounts[0].Setting("scopes"))
	}
}

func TestConfigMissingFileIsEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accounts.toml")
	cfg, err := LoadConfig(path)
	if err != nil || len(cfg.Accounts) != 0 || cfg.Version != ConfigVersion {
		t.Fatalf("LoadConfig of a missing file = %+v, %v", cfg, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("loading created the file")
	}
}

func TestConfigHandWrittenForms(t *testing.T) {
	// Integers and booleans are accepted for settings; an inline settings table works as well.
	src := `version = 1
[[accounts]]
id = "` + id1 + `"
name = "n2p"
provider = "net2phone"
settings = { client_id = "abc", redirect_port = 8765 }
`
	cfg, err := parseConfig("accounts.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Accounts[0].Settings["redirect_port"]; got != "8765" {
		t.Fatalf("redirect_port = %q", got)
	}
}

func TestConfigBadFilesReportTheLineAndAreLeftUntouched(t *testing.T) {
	account := func(id, name, provider, settings string) string {
		return "\n[[accounts]]\nid = \"" + id + "\"\nname = \"" + name + "\"\nprovider = \"" + provider + "\"\n" + settings
	}
	good := account(id1, "First", "avaya", "[accounts.settings]\nclient_id = \"c\"\n")
	tests := []struct {
		name     string
		src      string
		wantLine int
		wantMsg  string
	}{
		{"does not parse", "version = 1\n[[accounts]\nname = 1\n", 2, ""},
		{"wrong type", "version = 1\n[[accounts]]\nname = 3\n", 3, ""},
		{"unknown key", "version = 1\n[[accounts]]\nnmae = \"x\"\n", 3, "unknown key accounts.nmae"},
		{"unknown provider", "version = 1\n" + good + account(id2, "Second", "gitlab", ""), 13, `unknown provider "gitlab"`},
		{"missing required setting", "version = 1\n" + account(id1, "First", "oidc", "[accounts.settings]\nclient_id = \"c\"\n"), 3, "needs the setting issuer"},
		{"duplicate name", "version = 1\n" + good + account(id2, "FIRST", "avaya", "[accounts.settings]\nclient_id = \"c\"\n"), 12, `two accounts are called "FIRST"`},
		{"duplicate id", "version = 1\n" + good + account(id1, "Second", "avaya", "[accounts.settings]\nclient_id = \"c\"\n"), 11, "have the same id"},
		{"bad id", "version = 1\n" + account("42", "First", "avaya", ""), 4, "is not a UUID"},
		{"secret in the file", "version = 1\n" + account(id1, "First", "avaya", "[accounts.settings]\nclient_id = \"c\"\nclient_secret = \"s\"\n"), 9, "kept in the system keyring"},
		{"bad value", "version = 1\n" + account(id1, "First", "avaya", "[accounts.settings]\nclient_id = \"c\"\nredirect_port = 70000\n"), 9, "port number"},
		{"unknown setting", "version = 1\n" + account(id1, "First", "avaya", "[accounts.settings]\nclientid = \"c\"\n"), 8, `has no setting "clientid"`},
		{"newer version", "version = 2\n", 1, "newer Tokentray"},
		{"bad preference", "version = 1\n[settings]\nnotifications = false\nclipboard_clear = \"soon\"\n", 4, "settings.clipboard_clear must be a duration"},
		{"an http provider elsewhere", "version = 1\n" + account(id1, "First", "oidc", "[accounts.settings]\nclient_id = \"c\"\nissuer = \"http://idp.example.com\"\n"), 9, "must be an https URL"},
		{"settings as a list", "version = 1\nsettings = [1, 2]\n", 2, "settings must be one table"},
		{"settings as an array of tables", "version = 1\n\n[[settings]]\nmin_valid = \"5m\"\n", 3, "settings must be one table"},
		{"a key twice", "version = 1\n\n[[accounts]]\nid = \"" + id1 + "\"\nname = \"a\"\nname = \"b\"\n", 6, "name is already defined"},
		{"a name with an escape sequence", "version = 1\n" + account(id1, `Evil\u001b[2J`, "avaya", "[accounts.settings]\nclient_id = \"c\"\n"), 5, "printable"},
		{"a name of 10,000 characters", "version = 1\n" + account(id1, strings.Repeat("n", 10000), "avaya", "[accounts.settings]\nclient_id = \"c\"\n"), 5, "at most 100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "accounts.toml")
			if err := os.WriteFile(path, []byte(tc.src), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("LoadConfig error = %v, want a *ConfigError", err)
			}
			if ce.Path != path || ce.Line != tc.wantLine || !strings.Contains(ce.Msg, tc.wantMsg) {
				t.Errorf("got %q (line %d), want line %d containing %q", err, ce.Line, tc.wantLine, tc.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), path+":") {
				t.Errorf("error %q does not start with the file path", err)
			}
			// Saving over a file that does not load is refused, and the file keeps every byte.
			err = SaveConfig(path, &Config{Accounts: []Account{{ID: id2, Name: "x", Provider: "avaya", Settings: map[string]string{"client_id": "c"}}}})
			if err == nil {
				t.Fatal("SaveConfig replaced a file that does not load")
			}
			if b, _ := os.ReadFile(path); string(b) != tc.src {
				t.Fatalf("the file changed after a failed load and save:\n%s", b)
			}
		})
	}
}

func TestSaveConfigRefusesAnInvalidAccount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accounts.toml")
	err := SaveConfig(path, &Config{Accounts: []Account{{ID: id1, Name: "x", Provider: "nope"}}})
	if err == nil || !strings.Contains(err.Error(), "unknown provider") {
		t.Fatalf("SaveConfig = %v, want an unknown provider error", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("an invalid config was written")
	}
}

// An accounts file that is a symbolic link (dotfiles in a repository) is written through to its
// target; the link stays a link.
func TestSaveConfigWritesThroughASymlink(t *testing.T) {
	testenv.UnixOnly(t, "a symbolic link any user may make")
	target := filepath.Join(t.TempDir(), "dotfiles", "accounts.toml")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("version = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "accounts.toml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Accounts: []Account{{ID: id1, Name: "Work", Provider: "avaya", Settings: map[string]string{"client_id": "c"}}}}
	if err := SaveConfig(link, cfg); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file: %v", err)
	}
	if got, err := LoadConfig(target); err != nil || len(got.Accounts) != 1 {
		t.Fatalf("the target was not written: %v", err)
	}
}

// A name with a character that shows nothing (zero-width, a joiner, a byte order mark, a tag
// character, a soft hyphen) or breaks a line (U+2028, U+2029) is refused: "Work" and "Wo\u200brk"
// would look the same in the menu, and one could be taken for the other.
func TestNamesWithInvisibleCharactersAreRefused(t *testing.T) {
	for _, name := range []string{"Wo\u200brk", "Work\u200d", "\ufeffWork", "Work\U000e0041", "Wo\u00adrk", "Work\u2060"} {
		err := ValidateAccount(Account{ID: id1, Name: name, Provider: "avaya", Settings: map[string]string{"client_id": "x"}}, nil)
		if err == nil || err.Key != "name" || !strings.Contains(err.Msg, "invisible") {
			t.Errorf("%q: %v", name, err)
		}
	}
	for _, name := range []string{"Work\u2028x", "Work\u2029x"} { // line breaks, as a newline is
		if err := ValidateAccount(Account{ID: id1, Name: name, Provider: "avaya", Settings: map[string]string{"client_id": "x"}}, nil); err == nil || err.Key != "name" {
			t.Errorf("%q: %v", name, err)
		}
	}
	if err := ValidateAccount(Account{ID: id1, Name: "Büro Ωmega 東京 🎉", Provider: "avaya", Settings: map[string]string{"client_id": "x"}}, nil); err != nil {
		t.Errorf("a visible name: %v", err)
	}
}

func TestResolveAccount(t *testing.T) {
	accs := []Account{{ID: id1, Name: "work-avaya"}, {ID: id2, Name: "Work-OnSIP"}, {ID: "3", Name: "home"}}
	for _, tc := range []struct{ in, want, err string }{
		{"WORK-AVAYA", "work-avaya", ""},
		{id2, "Work-OnSIP", ""},
		{"ho", "home", ""},
		{"onsip", "Work-OnSIP", ""}, // a word of the name, not only its beginning
		{"ava", "work-avaya", ""},
		{"k-a", "", `no account "k-a"`}, // words begin after a separator, not anywhere
		{"work", "", `"work" matches several accounts: Work-OnSIP, work-avaya`},
		{"nope", "", `no account "nope"; the accounts are: Work-OnSIP, home, work-avaya`},
	} {
		a, err := ResolveAccount(accs, tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || a.Name != tc.want {
			t.Errorf("%q = %q, %v; want %q", tc.in, a.Name, err, tc.want)
		}
	}
}
