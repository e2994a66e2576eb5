package audit

import (
	"strconv"
	"strings"
	"syscall"
)

// ProgramOf is the program pid runs, as /proc says. It is read while the asker waits for its
// credential: the link goes when the asker exits.
func ProgramOf(pid int) string { return readlink("/proc/" + strconv.Itoa(pid) + "/exe") }

// ParentOf is the program of pid's parent, as /proc says. /proc keeps pid until its parent reaps
// it, so this may be read once the asker has its answer; reading /proc/PID/stat is the slower
// half of the two (make bench). Both make the fewest system calls they can: os.ReadFile would
// also try to register each /proc file with the poller.
func ParentOf(pid int) string {
	stat := readSmall("/proc/" + strconv.Itoa(pid) + "/stat")
	if i := strings.LastIndexByte(stat, ')'); i > 0 {
		if f := strings.Fields(stat[i+1:]); len(f) > 1 {
			if ppid, err := strconv.Atoi(f[1]); err == nil && ppid > 1 {
				return readlink("/proc/" + f[1] + "/exe")
			}
		}
	}
	return ""
}

func readlink(path string) string {
	b := make([]byte, 4096)
	n, err := syscall.Readlink(path, b)
	if err != nil || n < 0 {
		return ""
	}
	return string(b[:n])
}

// readSmall is the first 4 KiB of the file at path, "" when it cannot be read.
func readSmall(path string) string {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return ""
	}
	defer syscall.Close(fd)
	b := make([]byte, 4096)
	n, err := syscall.Read(fd, b)
	if err != nil || n < 0 {
		return ""
	}
	return string(b[:n])
}
