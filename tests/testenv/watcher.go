package testenv

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

// Watcher is a StatusNotifierWatcher with a host registered: what a desktop panel puts on the
// session bus. Tray items register with it, and the test then reads and clicks their menus through
// com.canonical.dbusmenu exactly as a panel would.
type Watcher struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	items []string // "sender/path" as registered
	added chan string
}

// StartWatcher claims org.kde.StatusNotifierWatcher on the bus at addr.
func StartWatcher(t testing.TB, addr string) *Watcher {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("watcher: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	w := &Watcher{conn: conn, added: make(chan string, 16)}
	const path, iface = "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"
	if err := conn.Export(w, path, iface); err != nil {
		t.Fatal(err)
	}
	if _, err := prop.Export(conn, path, prop.Map{iface: {
		"IsStatusNotifierHostRegistered": {Value: true},
		"ProtocolVersion":                {Value: int32(0)},
		"RegisteredStatusNotifierItems":  {Value: []string{}},
	}}); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(iface, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("watcher: could not own %s: %v %v", iface, reply, err)
	}
	return w
}

// RegisterStatusNotifierItem is called by tray items over D-Bus.
func (w *Watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	item := string(sender) + service
	if len(service) > 0 && service[0] != '/' { // registered by bus name: the path is the default one
		item = service + "/StatusNotifierItem"
	}
	w.mu.Lock()
	w.items = append(w.items, item)
	w.mu.Unlock()
	w.added <- item
	return nil
}

// RegisterStatusNotifierHost is part of the protocol; the watcher already has its host.
func (w *Watcher) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

// WaitItem waits for an item to register and returns its bus name and object path.
func (w *Watcher) WaitItem(t testing.TB, within time.Duration) (dest string, path dbus.ObjectPath) {
	t.Helper()
	select {
	case item := <-w.added:
		for i := 0; i < len(item); i++ {
			if item[i] == '/' {
				return item[:i], dbus.ObjectPath(item[i:])
			}
		}
		t.Fatalf("watcher: odd registration %q", item)
	case <-time.After(within):
		t.Fatalf("no tray item registered with the watcher within %s", within)
	}
	return "", ""
}

// MenuItem is one entry of a dbusmenu layout.
type MenuItem struct {
	ID       int32
	Label    string
	Type     string // "" for a normal item, "separator"
	Enabled  bool
	Toggle   string // "checkmark" for a check item
	Checked  bool
	Children []MenuItem
}

type layout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

// Menu reads the item's whole menu with GetLayout.
func (w *Watcher) Menu(t testing.TB, dest string, itemPath dbus.ObjectPath) []MenuItem {
	t.Helper()
	menuPath := dbus.ObjectPath("/StatusNotifierItem/menu")
	if v, err := w.conn.Object(dest, itemPath).GetProperty("org.kde.StatusNotifierItem.Menu"); err == nil {
		if p, ok := v.Value().(dbus.ObjectPath); ok {
			menuPath = p
		}
	}
	var rev uint32
	var root layout
	err := w.conn.Object(dest, menuPath).Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).
		Store(&rev, &root)
	if err != nil {
		t.Fatalf("GetLayout: %v", err)
	}
	return children(root)
}

func children(l layout) []MenuItem {
	var out []MenuItem
	for _, c := range l.Children {
		var sub layout
		if err := dbus.Store([]any{c.Value()}, &sub); err != nil {
			continue
		}
		it := MenuItem{ID: sub.ID, Enabled: true, Children: children(sub)}
		for k, v := range sub.Props {
			switch k {
			case "label":
				it.Label, _ = v.Value().(string)
			case "type":
				it.Type, _ = v.Value().(string)
			case "enabled":
				it.Enabled, _ = v.Value().(bool)
			case "toggle-type":
				it.Toggle, _ = v.Value().(string)
			case "toggle-state":
				n, _ := v.Value().(int32)
				it.Checked = n == 1
			}
		}
		out = append(out, it)
	}
	return out
}

// Find returns the item labelled label, searching submenus too.
func Find(items []MenuItem, label string) (MenuItem, bool) {
	for _, it := range items {
		if it.Label == label {
			return it, true
		}
		if c, ok := Find(it.Children, label); ok {
			return c, true
		}
	}
	return MenuItem{}, false
}

// Labels lists the labels of items, with "---" for separators.
func Labels(items []MenuItem) []string {
	var out []string
	for _, it := range items {
		if it.Type == "separator" {
			out = append(out, "---")
		} else {
			out = append(out, it.Label)
		}
	}
	return out
}

// Click sends a "clicked" event for the menu item, as a panel does when the user picks it.
func (w *Watcher) Click(t testing.TB, dest string, id int32) {
	t.Helper()
	call := w.conn.Object(dest, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.Event", 0,
		id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
	if call.Err != nil {
		t.Fatalf("dbusmenu Event(%d): %v", id, call.Err)
	}
}

func (m MenuItem) String() string { return fmt.Sprintf("%d:%q", m.ID, m.Label) }
