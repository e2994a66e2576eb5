//go:build !linux && !windows

package audit

// ProgramOf and ParentOf are the programs of pid and of its parent where the system says them
// (Linux's /proc, Windows' process API); elsewhere (macOS) the record keeps the pid alone.
func ProgramOf(int) string { return "" }

func ParentOf(int) string { return "" }
