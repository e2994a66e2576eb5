package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// bindAddrs are the addresses a redirect host stands for. "localhost" is never resolved (it may
// not be loopback), and it is not one address: browsers try ::1 first (Chromium does), then
// 127.0.0.1, so both are held on the same port. Were one left free, another local user could
// listen there and be handed the code (RFC 8252 §8.3).
func bindAddrs(host string) ([]string, error) {
	switch host {
	case "127.0.0.1":
		return []string{"127.0.0.1"}, nil
	case "localhost":
		return []string{"127.0.0.1", "::1"}, nil
	case "[::1]":
		return []string{"::1"}, nil
	}
	return nil, fmt.Errorf("redirect host %q is not a loopback host; use 127.0.0.1, localhost or [::1]", host)
}

// portTries is how often a sign-in on any free port looks for a port free on every address.
const portTries = 10

// listen starts the redirect listener for a sign-in whose state is state.
func listen(r Redirect, state string) (*loopback, error) {
	host := r.Host
	if host == "" {
		host = "127.0.0.1"
	}
	addrs, err := bindAddrs(host)
	if err != nil {
		return nil, err
	}
	path := r.Path
	if path == "" {
		path = "/callback"
	}
	if path[0] != '/' {
		path = "/" + path
	}
	var lns []net.Listener
	for try := 0; ; try++ {
		lns, err = listenAll(addrs, r.Port)
		if err == nil || r.Port != 0 || try == portTries || !errors.Is(err, ErrPortBusy) {
			break
		}
		// any free port: the first address's was taken on another (by another user, maybe); try another
	}
	if err != nil {
		if errors.Is(err, ErrPortBusy) {
			return nil, fmt.Errorf("%w. Close the program that holds it, "+
				"or set another redirect port for this account and register http://%s:<port>%s with the provider", err, host, path)
		}
		return nil, fmt.Errorf("could not listen for the sign-in redirect: %w", err)
	}
	port := strconv.Itoa(lns[0].Addr().(*net.TCPAddr).Port)
	lb := &loopback{
		redirectURI: "http://" + host + ":" + port + path,
		hosts:       map[string]bool{host + ":" + port: true},
		path:        path,
		state:       state,
		result:      make(chan callback, 1),
	}
	// A browser opens a connection or two; idle ones are closed, so that nobody can hold the
	// listener's few connections.
	lb.srv = &http.Server{Handler: lb, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 5 * time.Second}
	slots := make(chan struct{}, maxCallbackConns)
	for _, ln := range lns {
		lb.hosts[ln.Addr().String()] = true
		gl := &guardedListener{Listener: ln, slots: slots}
		lb.lns = append(lb.lns, gl)
		go func() { _ = lb.srv.Serve(gl) }()
	}
	return lb, nil
}

// listenAll listens on port (0: any) at every address, the same port on each: all of them, or none.
func listenAll(addrs []string, port int) ([]net.Listener, error) {
	var lns []net.Listener
	for _, a := range addrs {
		ln, err := listenConfig.Listen(context.Background(), "tcp", net.JoinHostPort(a, strconv.Itoa(port)))
		if err != nil && a == "::1" && len(lns) > 0 && noIPv6(err) {
			continue // this system has no IPv6 loopback: no browser, and nobody else, can use it either
		}
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			if addrInUse(err) {
				err = fmt.Errorf("%w: port %d on %s is taken by another program", ErrPortBusy, port, a)
			}
			return nil, err
		}
		lns = append(lns, ln)
		port = ln.Addr().(*net.TCPAddr).Port
	}
	return lns, nil
}

// maxCallbackConns bounds the connections the redirect listener serves at once.
const maxCallbackConns = 8

// guardedListener accepts a connection to the redirect listener only from a process of this
// user (see peerUID; the state and PKCE values in the browser's command line are visible to
// other users, who could otherwise finish the sign-in with a code of their own account), and at
// most cap(slots) at a time.
type guardedListener struct {
	net.Listener
	slots chan struct{}
}

func (l *guardedListener) Accept() (net.Conn, error) {
	for {
		l.slots <- struct{}{}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.slots
			return nil, err
		}
		uid, err := tcpPeerUID(c)
		if err == errNoPeerUID || (err == nil && uid == os.Getuid()) {
			return &slotConn{Conn: c, release: func() { <-l.slots }}, nil
		}
		slog.Warn("sign-in redirect refused: the connection is not from this user", "uid", uid, "err", err)
		c.Close()
		<-l.slots
	}
}

// slotConn gives its listener slot back when closed.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
