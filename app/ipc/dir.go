package ipc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// RuntimeDir is the per-user folder of the app's socket. Every process of the user finds the same
// one whatever its environment: a command run from cron, su or sudo has no XDG_RUNTIME_DIR, yet
// must reach the app that the desktop session started (and take the same locks), so the
// environment is not asked. It is, in order:
//   - $TOKENTRAY_RUNTIME_DIR, when set (tests; two apps side by side);
//   - on Linux, /run/user/<uid>/tokentray when the system gives the user /run/user/<uid> (what
//     XDG_RUNTIME_DIR normally names; it exists while the user has a session);
//   - else a folder of the user's own home, which no other user can create first:
//     ~/.local/state/tokentray/run on Linux, ~/Library/Caches/Tokentray/run on macOS,
//     %LocalAppData%\Tokentray\run on Windows.
//
// It is "" when none can be told: no /run/user/<uid> and no home folder (HOME unset).
func RuntimeDir() string {
	if d := os.Getenv("TOKENTRAY_RUNTIME_DIR"); d != "" {
		return d
	}
	if runtime.GOOS == "linux" {
		if d := "/run/user/" + strconv.Itoa(os.Getuid()); CheckPrivate(d) == nil {
			return filepath.Join(d, "tokentray")
		}
	}
	if d := UserStateDir(); d != "" {
		return filepath.Join(d, "run")
	}
	return ""
}

// UserStateDir is Tokentray's folder in the user's home for state that must be found the same way
// by every process: ~/.local/state/tokentray on Linux (not $XDG_STATE_HOME, which cron lacks),
// ~/Library/Caches/Tokentray on macOS, %LocalAppData%\Tokentray on Windows. It is "" when the home
// folder cannot be told (HOME unset or not absolute): never a folder relative to wherever the
// program runs, nor a shared one like /tmp, where another user could put files first.
func UserStateDir() string {
	switch runtime.GOOS {
	case "windows":
		if d, err := os.UserCacheDir(); err == nil {
			return filepath.Join(d, "Tokentray")
		}
		return ""
	}
	home, err := Home()
	if err != nil {
		return ""
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Caches", "Tokentray")
	}
	return filepath.Join(home, ".local", "state", "tokentray")
}

// ErrNoHome says that the user's home folder, where Tokentray keeps its files, cannot be told.
var ErrNoHome = errors.New("cannot tell where your files are: HOME is not set to your home folder (an absolute path); set it and try again")

// Home is the user's home folder, from HOME: absolute, or ErrNoHome.
func Home() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil || !filepath.IsAbs(home) {
		return "", ErrNoHome
	}
	return home, nil
}

// SocketPath is where the app listens: a socket in RuntimeDir, or on Windows a named pipe whose
// name comes from it (SocketIn); "" when RuntimeDir cannot be told.
func SocketPath() string {
	if d := RuntimeDir(); d != "" {
		return SocketIn(d)
	}
	return ""
}

// ErrNotPrivate means a folder Tokentray would talk or write through is not the user's alone.
var ErrNotPrivate = errors.New("not private to this user")

// CheckPrivate reports whether dir is a real folder (not a symbolic link) owned by this user and
// closed to everyone else (mode 0700): only then may a socket in it be trusted, or one be made.
func CheckPrivate(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	switch uid, ok := ownerOf(fi); {
	case fi.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: %w", dir, ErrNotPrivate)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder: %w", dir, ErrNotPrivate)
	case ok && uid != os.Getuid():
		return fmt.Errorf("%s belongs to user %d, not to you: %w", dir, uid, ErrNotPrivate)
	case runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0:
		return fmt.Errorf("%s is open to other users (mode %04o): %w", dir, fi.Mode().Perm(), ErrNotPrivate)
	}
	return nil
}

// MakePrivate creates dir (and missing parents) with mode 0700 and checks it with CheckPrivate. A
// folder of ours that is open to others is closed; one of another user's is refused, never used.
func MakePrivate(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("could not create %s: %w", dir, err)
	}
	err := CheckPrivate(dir)
	if fi, lerr := os.Lstat(dir); errors.Is(err, ErrNotPrivate) && lerr == nil && fi.IsDir() && fi.Mode()&os.ModeSymlink == 0 {
		if uid, ok := ownerOf(fi); !ok || uid == os.Getuid() {
			if cerr := os.Chmod(dir, 0o700); cerr != nil {
				return fmt.Errorf("%s is open to other users and cannot be closed: %w", dir, cerr)
			}
			err = CheckPrivate(dir)
		}
	}
	return err
}
