package auth

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tokentray/tests/testenv"
)

// zombies counts this process's children that have exited but were never waited for.
func zombies(t *testing.T) int {
	t.Helper()
	self := strconv.Itoa(os.Getpid())
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	n := 0
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces, so read after its closing parenthesis.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) > 1 && f[0] == "Z" && f[1] == self {
			n++
		}
	}
	return n
}

// Every browser Tokentray starts is waited for: no zombie is left per sign-in.
func TestBrowsersStartedAreReaped(t *testing.T) {
	testenv.UnixOnly(t, "a child left a zombie until it is waited for")
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc here")
	}
	t.Setenv("BROWSER", "true")
	for range 5 {
		if err := OpenBrowser("http://127.0.0.1:1/x"); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(500 * time.Millisecond)
	if n := zombies(t); n != 0 {
		t.Fatalf("%d zombie browser processes", n)
	}
}
