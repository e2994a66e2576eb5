//go:build unix

package testenv

import (
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
	"testing"
)

// OtherUserName is the second local user the tests act as: someone else on the same machine.
const OtherUserName = "tokentray-other"

// OtherUser returns the uid and gid of a second local user, creating it (useradd) the first
// time. Creating a user needs root, as CI has; as another user the test is skipped, saying so.
func OtherUser(t testing.TB) (uid, gid uint32) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skipf("skipped: acting as a second local user needs root to create %s (CI runs as root)", OtherUserName)
	}
	u, err := user.Lookup(OtherUserName)
	if err != nil {
		if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OtherUserName).CombinedOutput(); err != nil {
			t.Fatalf("useradd %s: %v\n%s", OtherUserName, err, out)
		}
		if u, err = user.Lookup(OtherUserName); err != nil {
			t.Fatal(err)
		}
	}
	id, _ := strconv.Atoi(u.Uid)
	g, _ := strconv.Atoi(u.Gid)
	return uint32(id), uint32(g)
}

// AsOtherUser makes cmd run as the second local user.
func AsOtherUser(t testing.TB, cmd *exec.Cmd) *exec.Cmd {
	t.Helper()
	uid, gid := OtherUser(t)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: gid}}
	cmd.Dir = "/"
	return cmd
}
