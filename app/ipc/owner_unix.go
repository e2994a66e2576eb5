//go:build unix

package ipc

import (
	"fmt"
	"os"
	"syscall"
)

func ownerOf(fi os.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return -1, false
	}
	return int(st.Uid), true
}

// othersCanChange says why someone other than this user (and root) could change or replace the
// file or folder fi describes, or "" when nobody can.
func othersCanChange(fi os.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	mode, sticky := fi.Mode(), fi.IsDir() && fi.Mode()&os.ModeSticky != 0
	switch {
	case st.Uid != 0 && int(st.Uid) != os.Getuid():
		return fmt.Sprintf("belongs to user %d", st.Uid)
	case mode&0o002 != 0 && !sticky:
		return "can be written by every user"
	case mode&0o020 != 0 && !sticky && int(st.Gid) != os.Getgid():
		return fmt.Sprintf("can be written by group %d", st.Gid)
	}
	return ""
}
