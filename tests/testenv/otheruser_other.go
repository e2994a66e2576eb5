//go:build !unix

package testenv

import (
	"os/exec"
	"testing"
)

// OtherUser: a second local user is made with useradd, on Unix only.
func OtherUser(t testing.TB) (uid, gid uint32) {
	t.Skip("skipped: a second local user is made on Unix only")
	return 0, 0
}

// AsOtherUser: see OtherUser.
func AsOtherUser(t testing.TB, cmd *exec.Cmd) *exec.Cmd {
	OtherUser(t)
	return cmd
}
