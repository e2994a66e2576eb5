package testenv

import (
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// Notifications is an org.freedesktop.Notifications server on a bus: it records every Notify call
// as a desktop's notification daemon would receive it.
type Notifications struct {
	mu    sync.Mutex
	calls []Notification
}

// Notification is one Notify call.
type Notification struct{ App, Summary, Body string }

// StartNotifications claims org.freedesktop.Notifications on the bus at addr.
func StartNotifications(t testing.TB, addr string) *Notifications {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	n := &Notifications{}
	if err := conn.Export(n, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("could not own org.freedesktop.Notifications: %v %v", reply, err)
	}
	return n
}

// Notify is the D-Bus method.
func (n *Notifications) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.calls = append(n.calls, Notification{App: app, Summary: summary, Body: body})
	return uint32(len(n.calls)), nil
}

// GetCapabilities is part of the protocol.
func (n *Notifications) GetCapabilities() ([]string, *dbus.Error) { return []string{"body"}, nil }

// GetServerInformation is part of the protocol.
func (n *Notifications) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "testenv", "tokentray", "1", "1.2", nil
}

// CloseNotification is part of the protocol.
func (n *Notifications) CloseNotification(id uint32) *dbus.Error { return nil }

// Calls returns the Notify calls so far.
func (n *Notifications) Calls() []Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notification(nil), n.calls...)
}
