//go:build !windows

package auth

import (
	"errors"
	"net"
	"syscall"
)

// listenConfig makes the redirect listeners: the system's defaults hold a port for its owner.
var listenConfig net.ListenConfig

// addrInUse reports an error that says another program holds the port.
func addrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }

// noIPv6 reports an error that says the system has no IPv6 loopback at all.
func noIPv6(err error) bool {
	return errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT)
}
