//go:build !windows

package server

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"tokentray/app/ipc"
)

// ListenSocket listens on the socket at path, in a folder that is the user's alone (mode 0700,
// owned by the user, not a link: ipc.MakePrivate), the socket of mode 0600. A socket left by a
// crashed app (nobody answers) is removed first, as is one another user listens on (planted while
// the folder was open); one of this user's that answers means another Tokentray is running, and
// ErrAlreadyRunning is returned. A folder another user owns is refused.
func ListenSocket(path string) (net.Listener, error) {
	dir := filepath.Dir(path)
	if err := ipc.MakePrivate(dir); err != nil {
		return nil, fmt.Errorf("will not open the command socket: %w", err)
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		peer, perr := peerOf(c)
		c.Close()
		if perr != nil || peer.UID == os.Getuid() {
			return nil, ErrAlreadyRunning
		}
		// Another user listens in this user's folder (put there while it was open to others): not a
		// Tokentray of this user's, and no reason not to start. The folder is private now.
		slog.Warn("socket: another user's socket was in Tokentray's folder; it is replaced", "uid", peer.UID)
	}
	_ = os.Remove(path) // stale, from an app that died without closing it, or another user's
	ln, err := listen(path)
	if err != nil {
		return nil, fmt.Errorf("could not listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}
