//go:build !windows

package main

import (
	"fmt"
	"io"
)

// say tells the person msg on stderr.
func say(stderr io.Writer, msg string) { fmt.Fprint(stderr, msg) }
