//go:build !linux && !windows

package server

import "net"

func listen(path string) (net.Listener, error) { return net.Listen("unix", path) }

// serveQuick is Linux's (socket_linux.go): elsewhere every connection gets a goroutine.
func (s *SocketServer) serveQuick(net.Listener) (bool, error) { return false, nil }
