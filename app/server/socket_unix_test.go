//go:build !windows

package server

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

// dialRaw connects to the app's socket at path with nothing checked: the test is the client.
func dialRaw(path string) (net.Conn, error) { return net.Dial("unix", path) }

// closeWrite ends what c sends, keeping it open to read the answer.
func closeWrite(c net.Conn) error { return c.(*net.UnixConn).CloseWrite() }

// checkPrivate: the socket is of mode 0600, in a folder of mode 0700.
func checkPrivate(t *testing.T, path string) {
	t.Helper()
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
}
