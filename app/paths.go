package app

import (
	"os"
	"path/filepath"
	"runtime"
)

// Paths says where Tokentray keeps its files. Tests and demo mode use other Paths, never globals.
type Paths struct {
	Config string // the accounts file, accounts.toml
	Log    string // the log file
	Audit  string // the record of hand-outs; default audit.jsonl beside the log
}

func (p Paths) audit() string {
	if p.Audit != "" {
		return p.Audit
	}
	return filepath.Join(filepath.Dir(p.Log), "audit.jsonl")
}

// DefaultPaths returns the platform's places: on Linux $XDG_CONFIG_HOME/tokentray/accounts.toml and
// $XDG_STATE_HOME/tokentray/tokentray.log; on macOS ~/Library/Application Support and ~/Library/Logs;
// on Windows %AppData% and %LocalAppData%. TOKENTRAY_CONFIG_DIR moves both under one folder.
func DefaultPaths() Paths {
	if dir := os.Getenv("TOKENTRAY_CONFIG_DIR"); dir != "" {
		return Paths{Config: filepath.Join(dir, "accounts.toml"), Log: filepath.Join(dir, "tokentray.log")}
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		cfg = os.TempDir()
	}
	return Paths{Config: filepath.Join(cfg, "tokentray", "accounts.toml"), Log: filepath.Join(stateDir(), "tokentray.log")}
}

// stateDir is where logs go. Go has no os.UserStateDir; this follows each platform's convention.
func stateDir() string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Logs", "Tokentray")
	case "windows":
		if d, err := os.UserCacheDir(); err == nil { // %LocalAppData%
			return filepath.Join(d, "Tokentray", "Logs")
		}
	}
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "tokentray")
	}
	return filepath.Join(home, ".local", "state", "tokentray")
}
