package auth

import (
	"net"
	"os"
	"testing"
)

// Windows' table of connections names the process at the other end of a loopback connection,
// and its user is this one.
func TestTheTableNamesTheOwnerOfAConnection(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		accepted := make(chan net.Conn, 1)
		go func() { c, _ := ln.Accept(); accepted <- c }()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		server := <-accepted
		pid, err := tcpOwner(server.RemoteAddr().(*net.TCPAddr).AddrPort(), server.LocalAddr().(*net.TCPAddr).AddrPort())
		switch {
		case err != nil:
			t.Errorf("%s: %v", addr, err)
		case pid == 0 && addr == "[::1]:0" && underWine():
			t.Logf("%s: the table names no process (Wine does not for IPv6)", addr)
		case pid != uint32(os.Getpid()):
			t.Errorf("%s: the table says pid %d, want this process, %d", addr, pid, os.Getpid())
		}
		if uid, err := tcpPeerUID(server); pid != 0 && (err != nil || uid != os.Getuid()) {
			t.Errorf("%s: the peer's user %d, %v; want this user", addr, uid, err)
		}
		c.Close()
		server.Close()
		ln.Close()
	}
}

// A connection whose process has gone (pid 0 in the table) is another user's on Windows; under
// Wine, which names no process for some connections, it cannot be told.
func TestAConnectionWithoutAProcessIsRefused(t *testing.T) {
	if uid, err := uidOfOwner(0, false); err != nil || uid == os.Getuid() {
		t.Errorf("pid 0 on Windows: %d, %v; want refused", uid, err)
	}
	if _, err := uidOfOwner(0, true); err != errNoPeerUID {
		t.Errorf("pid 0 under Wine: %v; want errNoPeerUID", err)
	}
	if uid, err := uidOfOwner(uint32(os.Getpid()), false); err != nil || uid != os.Getuid() {
		t.Errorf("this process: %d, %v", uid, err)
	}
}
