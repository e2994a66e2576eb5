//go:build !windows

package main

import (
	"fmt"
	"io"
	"os"
	"syscall"

	"tokentray/app/ipc"
)

// handOver replaces this process with the program at path, so that it keeps this process id and
// its exit code is ours.
func handOver(path string, args []string, stderr io.Writer) int {
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	fmt.Fprintf(stderr, "tokentray: could not start %s: %v\n", path, err)
	return ipc.ExitFailure
}
