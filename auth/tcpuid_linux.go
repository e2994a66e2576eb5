package auth

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// tcpPeerUID returns the user owning the other end of a loopback TCP connection, from the
// kernel's table of sockets (/proc/net/tcp, tcp6): the entry whose local address is c's remote
// one and whose remote address is c's local one is the peer's socket, and names its owner.
func tcpPeerUID(c net.Conn) (int, error) {
	local, lok := c.LocalAddr().(*net.TCPAddr)
	remote, rok := c.RemoteAddr().(*net.TCPAddr)
	if !lok || !rok {
		return -1, fmt.Errorf("not a TCP connection")
	}
	peer, us := procAddrs(remote), procAddrs(local)
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid …
			fields := strings.Fields(sc.Text())
			if len(fields) > 7 && peer[fields[1]] && us[fields[2]] {
				f.Close()
				return strconv.Atoi(fields[7])
			}
		}
		f.Close()
	}
	return -1, fmt.Errorf("the connection from %s is in no socket table", remote)
}

// procAddrs writes an address as /proc/net/tcp and tcp6 do: the IP as 32-bit words in the host's
// (little-endian) order, in hex, a colon, the port in hex. An IPv4 address may sit on an IPv6
// socket, as IPv4-mapped: both forms are returned.
func procAddrs(a *net.TCPAddr) map[string]bool {
	forms := map[string]bool{}
	for _, ip := range []net.IP{a.IP.To4(), a.IP.To16()} {
		if ip == nil {
			continue
		}
		var b strings.Builder
		for i := 0; i < len(ip); i += 4 {
			b.WriteString(strings.ToUpper(hex.EncodeToString([]byte{ip[i+3], ip[i+2], ip[i+1], ip[i]})))
		}
		forms[fmt.Sprintf("%s:%04X", b.String(), a.Port)] = true
	}
	return forms
}

// errNoPeerUID is never returned on Linux.
var errNoPeerUID = fmt.Errorf("the peer's user cannot be known on this system")
