package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"tokentray/app/model"
)

// writeFileAtomic replaces path with data so that a reader sees the old file or the new one, never
// part. A path that is a symbolic link (dotfiles kept in a repository, say) is written through to
// the link's target, and stays a link.
func WriteFileAtomic(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return fmt.Errorf("could not write %s: it is a symbolic link whose target cannot be found: %w", path, err)
		}
		path = target
	}
	return ReplaceFile(path, data)
}

// replaceFile writes data to a new file of mode 0600 beside path and renames it to path: path is
// replaced whole, whatever it was (a symbolic link included), and never written in place.
func ReplaceFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("could not create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // after a successful rename there is nothing left to remove
	if err := f.Chmod(0o600); err == nil {
		_, err = f.Write(data)
		if err == nil {
			err = f.Sync()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable; not every platform can sync a directory
		d.Close()
	}
	return nil
}

// AccountByID returns the account with id, or false.
func (c *Config) AccountByID(id model.AccountID) (Account, bool) {
	i := slices.IndexFunc(c.Accounts, func(a Account) bool { return a.ID == id })
	if i < 0 {
		return Account{}, false
	}
	return c.Accounts[i], true
}

// OpenPrivate opens a file of Tokentray's own (the log, the record of hand-outs) with flag, mode
// 0600 when created, and never through a symbolic link: one put in its place (by another program
// of the user's, say) would have Tokentray append to, or cut, whatever file it points at.
func OpenPrivate(path string, flag int) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link; Tokentray writes its own files only, never through a link: remove it", path)
	}
	return os.OpenFile(path, flag|ONoFollow, 0o600)
}
