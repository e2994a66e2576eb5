package ipc

import (
	"fmt"
	"os"
	"path/filepath"
)

// CheckProgram reports whether the program at path may be run as Tokentray: a regular file owned
// by root or this user that nobody else can write, in folders with the same property all the way
// up to the root. A folder others can write but whose sticky bit keeps them from renaming what is
// not theirs (/tmp) passes. The lean command checks the whole program so before it hands it a
// command: were it installed in a folder whose parent others can write, another user could put a
// program of theirs where it looks (../lib/tokentray), and have it run as this user.
func CheckProgram(path string) error {
	real, err := filepath.EvalSymlinks(path)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		return err
	}
	for p := real; ; p = filepath.Dir(p) {
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if p == real && !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		if why := othersCanChange(fi); why != "" {
			return fmt.Errorf("will not run %s: %s %s", real, p, why)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}
