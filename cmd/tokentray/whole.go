package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"

	"tokentray/app/ipc"
)

// whole hands the command to the whole program, tokentray-tray, installed beside this one. On Unix
// it replaces this process, so the tray keeps this process id and its exit code is ours.
func whole(args []string, stderr io.Writer) int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitFailure
	}
	name := "tokentray-tray"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	// beside this program (a build, an unpacked tarball), or where the package puts it
	dir := filepath.Dir(self)
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(dir, "..", "lib", "tokentray", name)
	}
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(stderr, "tokentray: %s is missing (nor in ../lib/tokentray); it is built with tokentray by `make build`\n", filepath.Join(dir, name))
		return ipc.ExitFailure
	}
	if err := ipc.CheckProgram(path); err != nil {
		fmt.Fprintf(stderr, "tokentray: %v. Install Tokentray where only you or root can write (make install, or the package).\n", err)
		return ipc.ExitFailure
	}
	if runtime.GOOS != "windows" {
		err = syscall.Exec(path, append([]string{path}, args...), os.Environ())
		fmt.Fprintf(stderr, "tokentray: could not start %s: %v\n", path, err)
		return ipc.ExitFailure
	}
	c := exec.Command(path, args...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := c.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitFailure
	}
	return ipc.ExitOK
}
