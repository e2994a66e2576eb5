//go:build !linux

package app

// processOf is the program of pid and of its parent, where the system says: Linux's /proc only.
func processOf(int) (program, parent string) { return "", "" }
