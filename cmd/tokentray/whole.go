package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"tokentray/app/ipc"
)

// whole hands the command to the whole program, tokentray-tray, installed beside this one
// (handOver: on Unix it replaces this process; on Windows it runs as a child).
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
	return handOver(path, args, stderr)
}
