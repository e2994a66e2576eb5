//go:build !linux

package audit

// ProgramOf and ParentOf are the programs of pid and of its parent where the system says:
// Linux's /proc only.
func ProgramOf(int) string { return "" }

func ParentOf(int) string { return "" }
