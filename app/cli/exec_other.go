//go:build !unix

package cli

import "io"

func execve(path string, argv, env []string, stderr io.Writer) int {
	return runChild(path, argv, env, stderr)
}
