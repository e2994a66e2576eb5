// Package peer tells whether a process of this machine runs as this user, on Windows, where
// neither the app's pipe nor a loopback TCP connection says it in a uid: the app's pipe server
// and its commands check each other with it (app/ipc), and the sign-in's redirect listener the
// browser that connects (auth). On Unix the kernel says the peer's uid, and this package is empty.
package peer
