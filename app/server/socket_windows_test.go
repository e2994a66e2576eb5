package server

import (
	"errors"
	"net"
	"testing"

	"tokentray/auth/peer"

	"golang.org/x/sys/windows"

	"tokentray/app/ipc"
)

// dialRaw connects to the app's pipe at path with nothing checked: the test is the client.
func dialRaw(path string) (net.Conn, error) {
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	for {
		h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
		if errors.Is(err, windows.ERROR_PIPE_BUSY) {
			continue // the app makes the next instance
		}
		if err != nil {
			return nil, err
		}
		return ipc.NewPipeConn(h), nil
	}
}

// closeWrite: a pipe cannot be half closed.
func closeWrite(net.Conn) error { return errors.ErrUnsupported }

// checkPrivate: the pipe's security descriptor grants this user, and nobody else, access.
func checkPrivate(t *testing.T, path string) {
	t.Helper()
	c, err := dialRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sd, err := windows.GetSecurityInfo(c.(*ipc.PipeConn).Handle(), windows.SE_KERNEL_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := peer.UserSID()
	if err != nil {
		t.Fatal(err)
	}
	// Windows keeps the generic right it was given as the pipe's own (FA); Wine keeps it as given
	if got := sd.String(); got != "D:P(A;;FA;;;"+sid+")" && got != "D:P(A;;GA;;;"+sid+")" {
		t.Fatalf("the pipe's security descriptor is %s, want all rights for %s alone", got, sid)
	}
}
