package tray

import (
	"sync"

	"fyne.io/systray"
)

// Systray draws the tray item with fyne.io/systray: a StatusNotifierItem and its dbusmenu on
// Linux, the notification area on Windows, the menu bar on macOS. It is the library Fyne's own
// tray is built on, used directly, so that no GUI toolkit (and no render loop) runs while the app
// waits in the tray.
//
// A new menu of the same shape as the one shown (the usual case: a countdown's words changed)
// updates the items in place, so they keep their ids and a menu the person has open goes on
// working; another shape replaces the menu.
type Systray struct {
	mu    sync.Mutex
	shown []*shownItem
	done  chan struct{} // closed when the menu is replaced: its items' click handlers end
}

// shownItem is an item on screen and what a click on it does now.
type shownItem struct {
	mi       *systray.MenuItem
	item     Item
	children []*shownItem
}

// RunSystray shows the tray item and calls ready with its renderer; it blocks until QuitSystray,
// on the goroutine it is called on (the main one: macOS wants its run loop there).
func RunSystray(title string, ready func(*Systray), exit func()) {
	systray.Run(func() {
		systray.SetTitle(title)
		ready(&Systray{})
	}, exit)
}

// QuitSystray removes the tray item and makes RunSystray return.
func QuitSystray() { systray.Quit() }

// Render shows menu, icon and tooltip.
func (s *Systray) Render(menu []Item, icon []byte, tip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	systray.SetIcon(icon)
	systray.SetTooltip(tip)
	if sameShape(s.shown, menu) {
		update(s.shown, menu)
		return
	}
	if s.done != nil {
		close(s.done)
	}
	s.done = make(chan struct{})
	systray.ResetMenu()
	s.shown = nil
	for _, it := range menu {
		s.shown = append(s.shown, s.add(it, nil))
	}
}

// sameShape reports whether menu has the items shown, in kind and number, at every level.
func sameShape(shown []*shownItem, menu []Item) bool {
	if len(shown) != len(menu) {
		return false
	}
	for i, it := range menu {
		old := shown[i].item
		if old.Separator != it.Separator || old.Checkbox != it.Checkbox || (old.Children == nil) != (it.Children == nil) ||
			!sameShape(shown[i].children, it.Children) {
			return false
		}
	}
	return true
}

// update changes the items shown into menu's, which has their shape. Called with s.mu held.
func update(shown []*shownItem, menu []Item) {
	for i, it := range menu {
		n := shown[i]
		if it.Separator {
			continue
		}
		if it.Label != n.item.Label {
			n.mi.SetTitle(it.Label)
		}
		if it.Checked != n.item.Checked {
			if it.Checked {
				n.mi.Check()
			} else {
				n.mi.Uncheck()
			}
		}
		if enabled(it) != enabled(n.item) {
			if enabled(it) {
				n.mi.Enable()
			} else {
				n.mi.Disable()
			}
		}
		update(n.children, it.Children)
		n.item = it
	}
}

func enabled(it Item) bool { return !it.Disabled && (it.Action != nil || it.Children != nil) }

// add shows it under parent (nil: at the top). Called with s.mu held.
func (s *Systray) add(it Item, parent *systray.MenuItem) *shownItem {
	n := &shownItem{item: it}
	if it.Separator {
		if parent == nil {
			systray.AddSeparator()
		} else {
			parent.AddSeparator()
		}
		return n
	}
	switch {
	case parent == nil && it.Checkbox:
		n.mi = systray.AddMenuItemCheckbox(it.Label, "", it.Checked)
	case parent == nil:
		n.mi = systray.AddMenuItem(it.Label, "")
	case it.Checkbox:
		n.mi = parent.AddSubMenuItemCheckbox(it.Label, "", it.Checked)
	default:
		n.mi = parent.AddSubMenuItem(it.Label, "")
	}
	if !enabled(it) {
		n.mi.Disable()
	}
	for _, c := range it.Children {
		n.children = append(n.children, s.add(c, n.mi))
	}
	if it.Children == nil {
		go onClick(n.mi.ClickedCh, s.done, func() {
			s.mu.Lock()
			action := n.item.Action // the item's action now: an update may have changed it
			s.mu.Unlock()
			if action != nil {
				action()
			}
		})
	}
	return n
}

// onClick runs action for each click until the menu is replaced. systray closes an item's
// channel when it removes the item (ResetMenu): a receive from it then is no click, and
// neither is one that races the replacement.
func onClick(clicked, replaced <-chan struct{}, action func()) {
	for {
		select {
		case _, ok := <-clicked:
			select {
			case <-replaced:
				return
			default:
			}
			if !ok {
				return
			}
			action()
		case <-replaced:
			return
		}
	}
}
