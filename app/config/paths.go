package config

import (
	"os"
	"path/filepath"
	"runtime"

	"tokentray/app/ipc"
)

// Paths says where Tokentray keeps its files. Tests and demo mode use other Paths, never globals.
type Paths struct {
	Config string // the accounts file, accounts.toml
	Log    string // the log file
	Audit  string // the record of hand-outs; default audit.jsonl beside the log
}

// AuditFile is the record of hand-outs: Audit, or audit.jsonl beside the log.
func (p Paths) AuditFile() string {
	if p.Audit != "" {
		return p.Audit
	}
	return filepath.Join(filepath.Dir(p.Log), "audit.jsonl")
}

// DefaultPaths returns the platform's places: on Linux $XDG_CONFIG_HOME/tokentray/accounts.toml and
// $XDG_STATE_HOME/tokentray/tokentray.log; on macOS ~/Library/Application Support and ~/Library/Logs;
// on Windows %AppData% and %LocalAppData%. TOKENTRAY_CONFIG_DIR moves both under one folder. With
// no home folder to tell them from it says so (ipc.ErrNoHome): never a shared folder such as /tmp,
// where another user could put an accounts file first.
func DefaultPaths() (Paths, error) {
	if dir := os.Getenv("TOKENTRAY_CONFIG_DIR"); dir != "" {
		return Paths{Config: filepath.Join(dir, "accounts.toml"), Log: filepath.Join(dir, "tokentray.log")}, nil
	}
	cfg, err := os.UserConfigDir()
	state := stateDir()
	if err != nil || state == "" {
		return Paths{}, ipc.ErrNoHome
	}
	folder := "tokentray"
	if runtime.GOOS == "windows" { // %AppData%\Tokentray, as Windows programs name theirs
		folder = "Tokentray"
	}
	return Paths{Config: filepath.Join(cfg, folder, "accounts.toml"), Log: filepath.Join(state, "tokentray.log")}, nil
}

// stateDir is where logs go. Go has no os.UserStateDir; this follows each platform's convention.
// "" when it cannot be told.
func stateDir() string {
	if runtime.GOOS == "windows" {
		if d, err := os.UserCacheDir(); err == nil { // %LocalAppData%
			return filepath.Join(d, "Tokentray", "Logs")
		}
		return ""
	}
	if d := os.Getenv("XDG_STATE_HOME"); runtime.GOOS != "darwin" && filepath.IsAbs(d) {
		return filepath.Join(d, "tokentray")
	}
	home, err := ipc.Home()
	if err != nil {
		return ""
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Logs", "Tokentray")
	}
	return filepath.Join(home, ".local", "state", "tokentray")
}

// LockDir is where the per-account locks live: in the user's home (ipc.UserStateDir), found the
// same way by the app and by every command, whatever their environment, so that a command run
// from cron takes the same lock as the app. Without a home folder (TOKENTRAY_CONFIG_DIR set, HOME
// not), beside the log, which that variable puts in the same place for every process.
func (p Paths) LockDir() string {
	if d := ipc.UserStateDir(); d != "" {
		return filepath.Join(d, "locks")
	}
	return filepath.Join(filepath.Dir(p.Log), "locks")
}
