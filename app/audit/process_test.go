package audit

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The record names the program that asked and its parent, where the system says them: a child
// this test starts is found running this test's own program, with this test as its parent.
func TestTheProgramAndItsParentAreNamed(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		t.Skip("the programs are named on Linux and Windows only")
	}
	if os.Getenv("TOKENTRAY_AUDIT_CHILD") == "1" {
		os.Stdin.Read(make([]byte, 1)) // wait to be looked at
		return
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "-test.run=^TestTheProgramAndItsParentAreNamed$")
	cmd.Env = append(os.Environ(), "TOKENTRAY_AUDIT_CHILD=1")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { in.Close(); cmd.Wait() }()
	same := func(a, b string) bool {
		a, b = filepath.Clean(a), filepath.Clean(b)
		return a == b || runtime.GOOS == "windows" && strings.EqualFold(a, b)
	}
	if got := ProgramOf(cmd.Process.Pid); !same(got, self) {
		t.Errorf("ProgramOf(child) = %q, want %q", got, self)
	}
	if got := ParentOf(cmd.Process.Pid); !same(got, self) {
		t.Errorf("ParentOf(child) = %q, want %q", got, self)
	}
	if got := ProgramOf(1 << 30); got != "" {
		t.Errorf("ProgramOf(no such process) = %q, want nothing", got)
	}
}
