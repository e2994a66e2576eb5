package testenv

import (
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// Notifications is an org.freedesktop.Notifications server on a bus: it records every Notify call
// as a desktop's notification daemon would receive it.
type Notifications struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	calls []Notification
}

// Notification is one Notify call.
type Notification struct {
	ID                 uint32
	App, Summary, Body string
	Actions            []string // key, label, key, label…
}

// StartNotifications claims org.freedesktop.Notifications on the bus at addr.
func StartNotifications(t testing.TB, addr string) *Notifications {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	n := &Notifications{conn: conn}
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
	id := uint32(len(n.calls) + 1)
	n.calls = append(n.calls, Notification{ID: id, App: app, Summary: summary, Body: body, Actions: actions})
	return id, nil
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

// Invoke plays the person clicking the notification's action (its key, e.g. "default"), as a
// notification daemon announces it: the ActionInvoked signal.
func (n *Notifications) Invoke(t testing.TB, id uint32, action string) {
	t.Helper()
	if err := n.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, action); err != nil {
		t.Fatal(err)
	}
}
