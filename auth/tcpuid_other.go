//go:build !linux && !windows

package auth

import (
	"errors"
	"net"
)

// errNoPeerUID: outside Linux and Windows (macOS) the owner of a loopback TCP connection cannot be looked up without
// privileges, so the redirect listener accepts any local user's callback there (README, security).
var errNoPeerUID = errors.New("the peer's user cannot be known on this system")

func tcpPeerUID(net.Conn) (int, error) { return -1, errNoPeerUID }
