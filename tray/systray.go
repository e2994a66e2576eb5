package tray

import (
	"sync"

	"fyne.io/systray"
)

// Systray draws the tray item with fyne.io/systray: a StatusNotifierItem and its dbusmenu on
// Linux, the notification area on Windows, the menu bar on macOS. It is the library Fyne's own
// tray is built on, used directly, so that no GUI toolkit (and no render loop) runs while the app
// waits in the tray.
type Systray struct {
	mu   sync.Mutex
	done chan struct{} // closed when the menu is replaced: its items' click handlers end
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

// Render replaces the menu, icon and tooltip.
func (s *Systray) Render(menu []Item, icon []byte, tip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done != nil {
		close(s.done)
	}
	s.done = make(chan struct{})
	systray.SetIcon(icon)
	systray.SetTooltip(tip)
	systray.ResetMenu()
	for _, it := range menu {
		s.add(it, nil)
	}
}

func (s *Systray) add(it Item, parent *systray.MenuItem) {
	if it.Separator {
		if parent == nil {
			systray.AddSeparator()
		} else {
			parent.AddSeparator()
		}
		return
	}
	var mi *systray.MenuItem
	switch {
	case parent == nil && it.Checkbox:
		mi = systray.AddMenuItemCheckbox(it.Label, "", it.Checked)
	case parent == nil:
		mi = systray.AddMenuItem(it.Label, "")
	case it.Checkbox:
		mi = parent.AddSubMenuItemCheckbox(it.Label, "", it.Checked)
	default:
		mi = parent.AddSubMenuItem(it.Label, "")
	}
	if it.Disabled || (it.Action == nil && it.Children == nil) {
		mi.Disable()
	}
	for _, c := range it.Children {
		s.add(c, mi)
	}
	if it.Action != nil {
		go onClick(mi.ClickedCh, s.done, it.Action)
	}
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
