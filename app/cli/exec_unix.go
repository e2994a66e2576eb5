//go:build unix

package cli

import (
	"fmt"
	"io"
	"syscall"
)

// execve replaces this process with path: the command gets our pid, our stdio and the terminal's
// signals, and its exit status is what our caller sees.
func execve(path string, argv, env []string, stderr io.Writer) int {
	err := syscall.Exec(path, argv, env)
	fmt.Fprintf(stderr, "tokentray: exec: %s: %v\n", path, err)
	return ExitNotFound
}
