//go:build cli

package ipc

import (
	"fmt"
	"io"
)

// printAnswer: the lean command asks the app only for credentials (Spec.Lean); every other
// answer is printed by the whole program (answers.go).
func printAnswer(c *Command, _ *Response, _, stderr io.Writer) int {
	fmt.Fprintf(stderr, "tokentray: %s: %v\n", c.Name, errNotLean)
	return ExitFailure
}
