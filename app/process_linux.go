package app

import (
	"strconv"
	"strings"
	"syscall"
)

// processOf is the program of pid and of its parent, as /proc says. It runs while a command
// waits for its credential, so it makes the fewest system calls it can: os.ReadFile would also
// try to register each /proc file with the poller.
func processOf(pid int) (program, parent string) {
	program = readlink("/proc/" + strconv.Itoa(pid) + "/exe")
	stat := readSmall("/proc/" + strconv.Itoa(pid) + "/stat")
	if i := strings.LastIndexByte(stat, ')'); i > 0 {
		if f := strings.Fields(stat[i+1:]); len(f) > 1 {
			if ppid, err := strconv.Atoi(f[1]); err == nil && ppid > 1 {
				parent = readlink("/proc/" + f[1] + "/exe")
			}
		}
	}
	return program, parent
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
