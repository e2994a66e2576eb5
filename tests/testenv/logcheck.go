package testenv

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
)

// LogCapture collects a test binary's whole log (through the caller's redacting handler) so that,
// at the end of the run, every token a fake issued can be looked for in it.
type LogCapture struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	issued []func() []string
}

func (c *LogCapture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

// Track adds a source of issued tokens (a fake's Issued method) to look for.
func (c *LogCapture) Track(issued func() []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.issued = append(c.issued, issued)
}

// Leaks returns a description of every tracked token found in the log, and how many were checked.
func (c *LogCapture) Leaks() (leaks []string, checked int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	log := c.buf.String()
	for _, f := range c.issued {
		for _, tok := range f() {
			checked++
			if strings.Contains(log, tok) {
				leaks = append(leaks, fmt.Sprintf("token %s…", tok[:6]))
			}
		}
	}
	return leaks, checked
}

// Verdict prints what the log check found and returns the test binary's exit code: code, or 1
// when a tracked token is in the log.
func (c *LogCapture) Verdict(code int) int {
	leaks, checked := c.Leaks()
	if len(leaks) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the log shows %d of the %d tokens the fakes issued: %v\n", len(leaks), checked, leaks)
		return 1
	}
	fmt.Printf("log check: none of the %d tokens the fakes issued appears in the log\n", checked)
	return code
}

// Handler returns a text handler writing to the capture at debug level, for wrapping.
func (c *LogCapture) Handler() slog.Handler {
	return slog.NewTextHandler(c, &slog.HandlerOptions{Level: slog.LevelDebug})
}

// Count returns how many lines of the log so far contain s.
func (c *LogCapture) Count(s string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, line := range strings.Split(c.buf.String(), "\n") {
		if strings.Contains(line, s) {
			n++
		}
	}
	return n
}
