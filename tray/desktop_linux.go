package tray

import (
	"sync"

	"github.com/godbus/dbus/v5"
)

// NewDesktop returns the desktop's notifications, spoken straight to org.freedesktop.Notifications
// on the session bus (no GUI toolkit in this process). Clicking a notification calls open.
func NewDesktop(appID string, open func()) Desktop {
	return &dbusDesktop{appID: appID, open: open, ids: map[uint32]bool{}}
}

type dbusDesktop struct {
	appID string
	open  func()

	mu   sync.Mutex
	conn *dbus.Conn
	ids  map[uint32]bool // the notifications this process showed
}

const notifications = "org.freedesktop.Notifications"

func (d *dbusDesktop) connect() (*dbus.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		return d.conn, nil
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, err
	}
	if d.open != nil {
		_ = conn.AddMatchSignal(dbus.WithMatchInterface(notifications), dbus.WithMatchMember("ActionInvoked"))
		signals := make(chan *dbus.Signal, 8)
		conn.Signal(signals)
		go d.listen(signals)
	}
	d.conn = conn
	return conn, nil
}

// listen calls open when one of our notifications is clicked.
func (d *dbusDesktop) listen(signals <-chan *dbus.Signal) {
	for s := range signals {
		if s.Name != notifications+".ActionInvoked" || len(s.Body) < 1 {
			continue
		}
		id, _ := s.Body[0].(uint32)
		d.mu.Lock()
		ours := d.ids[id]
		d.mu.Unlock()
		if ours {
			d.open()
		}
	}
}

func (d *dbusDesktop) Notify(title, body string) error {
	conn, err := d.connect()
	if err != nil {
		return err
	}
	var actions []string
	if d.open != nil {
		actions = []string{"default", "Open Tokentray"}
	}
	hints := map[string]dbus.Variant{"desktop-entry": dbus.MakeVariant(d.appID)}
	var id uint32
	err = conn.Object(notifications, "/org/freedesktop/Notifications").Call(notifications+".Notify", 0,
		"Tokentray", uint32(0), d.appID, title, body, actions, hints, int32(-1)).Store(&id)
	if err == nil {
		d.mu.Lock()
		d.ids[id] = true
		d.mu.Unlock()
	}
	return err
}
