package auth

import (
	"errors"
	"net"
	"syscall"

	"golang.org/x/sys/windows"
)

// listenConfig makes the redirect listeners exclusive (SO_EXCLUSIVEADDRUSE): by default Windows
// lets another program bind the same port with SO_REUSEADDR and take connections meant for it.
var listenConfig = net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
	const soExclusiveAddrUse = ^windows.SO_REUSEADDR
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = windows.SetsockoptInt(windows.Handle(fd), windows.SOL_SOCKET, soExclusiveAddrUse, 1)
	}); err != nil {
		return err
	}
	return serr
}}

// addrInUse reports an error that says another program holds the port (Windows' sockets say it
// with their own code, which syscall.EADDRINUSE does not match).
func addrInUse(err error) bool { return errors.Is(err, windows.WSAEADDRINUSE) }

// noIPv6 reports an error that says the system has no IPv6 loopback at all.
func noIPv6(err error) bool {
	return errors.Is(err, windows.WSAEADDRNOTAVAIL) || errors.Is(err, windows.WSAEAFNOSUPPORT)
}
