//go:build !linux

package app

// programOf and parentOf are the programs of pid and of its parent where the system says:
// Linux's /proc only.
func programOf(int) string { return "" }

func parentOf(int) string { return "" }
