package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/pelletier/go-toml/v2"

	"tokentray/app/model"
	"tokentray/auth/kinds"
)

// ConfigVersion is the format version this Tokentray writes. A file with a higher version was written
// by a newer Tokentray and is refused rather than misread; lower versions are migrated on load.
const ConfigVersion = 1

// Config is the accounts file: every account Tokentray knows, the user's preferences, and no secrets.
type Config struct {
	Version  int         `toml:"version"`
	Settings Preferences `toml:"settings,omitempty"`
	Accounts []Account   `toml:"accounts"`
}

// Preferences are the user's settings; an empty field takes its default.
type Preferences struct {
	ClipboardClear string `toml:"clipboard_clear,omitempty"` // a duration; default 2m; "0s" never clears
	MinValid       string `toml:"min_valid,omitempty"`       // a duration a copied credential must stay valid; default 5m
	Notifications  *bool  `toml:"notifications,omitempty"`   // default true
	RefreshMargin  string `toml:"refresh_margin,omitempty"`  // renew this long before expiry; default 5m
}

// Resolved returns the preferences with every default filled in and every duration parsed
// (the file's values were checked when it was loaded).
func (p Preferences) Resolved() model.Preferences {
	r := model.Preferences{
		ClipboardClear: durationOr(p.ClipboardClear, 2*time.Minute),
		MinValid:       durationOr(p.MinValid, 5*time.Minute),
		RefreshMargin:  durationOr(p.RefreshMargin, 5*time.Minute),
		Notifications:  p.Notifications == nil || *p.Notifications,
	}
	if r.RefreshMargin <= 0 {
		r.RefreshMargin = 5 * time.Minute
	}
	return r
}

func durationOr(s string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d
	}
	return def
}

// Account is one configured account. Its secrets live in the keyring under ID.
type Account struct {
	ID       model.AccountID   `toml:"id"`       // a UUID; stable across renames, names keyring items
	Name     string            `toml:"name"`     // unique, case-insensitively; what `tokentray token NAME` matches
	Provider string            `toml:"provider"` // an auth kind name: net2phone, avaya, onsip, oidc
	Settings map[string]string `toml:"settings,omitempty"`
}

// Kind returns the account's provider kind; it exists for every account of a loaded Config.
func (a Account) Kind() kinds.Kind {
	k, _ := kinds.Lookup(a.Provider)
	return k
}

// Setting returns the account's value for key, or the provider's default.
func (a Account) Setting(key string) string { return a.Kind().Setting(a.Settings, key) }

// ConfigError reports a problem in the accounts file at a line a person can go to.
type ConfigError struct {
	Path string
	Line int // 0 when the problem has no one line
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// rawConfig is the file as written: settings may be strings, integers or booleans.
type rawConfig struct {
	Version  *int        `toml:"version"`
	Settings Preferences `toml:"settings"`
	Accounts []struct {
		ID       model.AccountID `toml:"id"`
		Name     string          `toml:"name"`
		Provider string          `toml:"provider"`
		Settings map[string]any  `toml:"settings"`
	} `toml:"accounts"`
}

// LoadConfig reads the accounts file at path. A missing file is an empty config. A file that does
// not parse, or holds an unknown provider, a missing required setting, an invalid value, a secret,
// or a duplicate name or id, gives a *ConfigError with the line, and the file is left as it is.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{Version: ConfigVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("could not read the accounts file: %w", err)
	}
	return parseConfig(path, data)
}

func parseConfig(path string, data []byte) (*Config, error) {
	var raw rawConfig
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, decodeError(path, data, err)
	}
	lines := keyLines(data)
	cfg := &Config{Version: ConfigVersion}
	if raw.Version != nil {
		if *raw.Version > ConfigVersion {
			return nil, &ConfigError{path, lines.line(-1, "version"), fmt.Sprintf(
				"version %d was written by a newer Tokentray; this one reads up to version %d", *raw.Version, ConfigVersion)}
		}
		if *raw.Version < 1 {
			return nil, &ConfigError{path, lines.line(-1, "version"), fmt.Sprintf("version %d is not a valid version", *raw.Version)}
		}
	}
	for key, v := range map[string]string{"clipboard_clear": raw.Settings.ClipboardClear, "min_valid": raw.Settings.MinValid, "refresh_margin": raw.Settings.RefreshMargin} {
		if d, err := time.ParseDuration(v); v != "" && (err != nil || d < 0) {
			return nil, &ConfigError{path, lines.line(-1, "settings."+key), fmt.Sprintf("settings.%s must be a duration such as 90s or 5m, not %q", key, v)}
		}
	}
	cfg.Settings = raw.Settings
	for i, ra := range raw.Accounts {
		a := Account{ID: ra.ID, Name: ra.Name, Provider: ra.Provider, Settings: map[string]string{}}
		for k, v := range ra.Settings {
			switch v := v.(type) {
			case string:
				a.Settings[k] = v
			case int64:
				a.Settings[k] = strconv.FormatInt(v, 10)
			case bool:
				a.Settings[k] = strconv.FormatBool(v)
			default:
				return nil, &ConfigError{path, lines.line(i, "settings."+k), fmt.Sprintf("setting %s must be a string, number or true/false", k)}
			}
		}
		if err := ValidateAccount(a, cfg.Accounts); err != nil {
			return nil, &ConfigError{path, lines.line(i, err.Key), err.Msg}
		}
		cfg.Accounts = append(cfg.Accounts, a)
	}
	return cfg, nil
}

// SaveConfig writes cfg to path atomically (a temporary file renamed over it) with mode 0600, in a
// directory of mode 0700. It refuses to replace a file that does not load, so that nothing a person
// wrote by hand is lost to a file Tokentray could not read.
func SaveConfig(path string, cfg *Config) error {
	if _, err := LoadConfig(path); err != nil {
		return fmt.Errorf("not overwriting the accounts file, which has a problem to fix first: %w", err)
	}
	for i, a := range cfg.Accounts {
		if err := ValidateAccount(a, cfg.Accounts[:i]); err != nil {
			return fmt.Errorf("could not save the accounts: %w", err)
		}
	}
	cfg.Version = ConfigVersion
	body, err := toml.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("could not encode the accounts: %w", err)
	}
	data := append([]byte(configHeader), body...)
	return WriteFileAtomic(path, data)
}

const configHeader = `# Tokentray accounts. Edit while Tokentray is not running, or through its Accounts window.
# Secrets (client secrets, passwords, tokens) are never stored here: they live in the system keyring.
`
