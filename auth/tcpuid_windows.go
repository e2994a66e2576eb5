package auth

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"

	"tokentray/auth/peer"
)

// errNoPeerUID: the table names no process for the connection, and cannot: under Wine (where the
// suite runs), which names none for IPv6 and for the host's programs, such as the browser. The
// listener then accepts the callback, as on macOS. On Windows itself a connection of pid 0 is one
// whose process has gone (TIME_WAIT), which another user may leave on purpose: refused.
var errNoPeerUID = errors.New("the peer's user cannot be known on this system")

// tcpPeerUID tells whether the other end of a loopback TCP connection is a process of this user:
// Windows' table of connections names the process that owns each (GetExtendedTcpTable, no
// administrator's rights needed), and the process its user. It is os.Getuid() for this user, -2
// for another, in the uid space the Linux listener uses.
func tcpPeerUID(c net.Conn) (int, error) {
	local, lok := c.LocalAddr().(*net.TCPAddr)
	remote, rok := c.RemoteAddr().(*net.TCPAddr)
	if !lok || !rok {
		return -1, fmt.Errorf("not a TCP connection")
	}
	pid, err := tcpOwner(remote.AddrPort(), local.AddrPort())
	if err != nil {
		return -1, err
	}
	return uidOfOwner(pid, underWine())
}

// uidOfOwner is the user of the process pid that owns a connection, as tcpPeerUID says it.
func uidOfOwner(pid uint32, wine bool) (int, error) {
	switch {
	case pid == 0 && wine:
		return -1, errNoPeerUID
	case pid != 0 && peer.SameUser(pid):
		return os.Getuid(), nil
	}
	return -2, nil
}

var procGetExtendedTcpTable = windows.NewLazySystemDLL("iphlpapi.dll").NewProc("GetExtendedTcpTable")

// tcpOwner is the process that owns the TCP connection from local to remote.
func tcpOwner(local, remote netip.AddrPort) (uint32, error) {
	local, remote = netip.AddrPortFrom(local.Addr().Unmap(), local.Port()), netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port())
	af, rowSize := uint32(windows.AF_INET), 24 // MIB_TCPROW_OWNER_PID
	if local.Addr().Is6() {
		af, rowSize = windows.AF_INET6, 56 // MIB_TCP6ROW_OWNER_PID
	}
	const tcpTableOwnerPIDAll = 5
	size := uint32(4096)
	var buf []byte
	for {
		buf = make([]byte, size)
		r, _, _ := procGetExtendedTcpTable.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)), 0, uintptr(af), tcpTableOwnerPIDAll, 0)
		if r == uintptr(windows.ERROR_INSUFFICIENT_BUFFER) {
			continue
		}
		if r != 0 {
			return 0, fmt.Errorf("the table of connections: %w", windows.Errno(r))
		}
		break
	}
	n := int(binary.LittleEndian.Uint32(buf))
	for i := range n {
		row := buf[4+i*rowSize:][:rowSize]
		var l, r netip.AddrPort
		var pid uint32
		if af == windows.AF_INET { // state, local addr, local port, remote addr, remote port, pid
			l = netip.AddrPortFrom(netip.AddrFrom4([4]byte(row[4:8])), port(row[8:]))
			r = netip.AddrPortFrom(netip.AddrFrom4([4]byte(row[12:16])), port(row[16:]))
			pid = binary.LittleEndian.Uint32(row[20:])
		} else { // local addr, scope, port; remote addr, scope, port; state, pid
			l = netip.AddrPortFrom(netip.AddrFrom16([16]byte(row[0:16])), port(row[20:]))
			r = netip.AddrPortFrom(netip.AddrFrom16([16]byte(row[24:40])), port(row[44:]))
			pid = binary.LittleEndian.Uint32(row[52:])
		}
		if l == local && r == remote {
			return pid, nil
		}
	}
	return 0, fmt.Errorf("the connection from %s is in no table of connections", local)
}

// underWine reports whether this is Wine, whose ntdll says so.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// port is a port as the table keeps it: in network order, in the low half of a DWORD.
func port(b []byte) uint16 { return binary.BigEndian.Uint16(b[:2]) }
