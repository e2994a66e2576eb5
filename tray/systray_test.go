package tray

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// A menu rebuilt under the person (every status change rebuilds it) must not click its old items:
// systray closes their channels, and a closed channel always receives; nor may a click that
// races the replacement run.
func TestReplacedItemsAreNotClicked(t *testing.T) {
	run := func(clicked, replaced chan struct{}) int32 {
		var clicks atomic.Int32
		ended := make(chan struct{})
		go func() { onClick(clicked, replaced, func() { clicks.Add(1) }); close(ended) }()
		select {
		case <-ended:
		case <-time.After(5 * time.Second):
			t.Fatal("onClick did not end")
		}
		return clicks.Load()
	}
	for range 200 {
		// systray.ResetMenu closes the old items' channels, before Render says it replaced them
		closed := make(chan struct{})
		close(closed)
		if n := run(closed, make(chan struct{})); n != 0 {
			t.Fatalf("a closed item ran its action %d times", n)
		}
		// a click waiting when the menu is replaced: select may take either
		pending, replaced := make(chan struct{}, 1), make(chan struct{})
		pending <- struct{}{}
		close(replaced)
		if n := run(pending, replaced); n != 0 {
			t.Fatalf("a click racing the replacement ran the action %d times", n)
		}
	}
}

func TestAClickRunsTheActionOnce(t *testing.T) {
	var clicks atomic.Int32
	clicked, replaced := make(chan struct{}), make(chan struct{})
	go onClick(clicked, replaced, func() { clicks.Add(1) })
	clicked <- struct{}{}
	clicked <- struct{}{}
	deadline := time.Now().Add(5 * time.Second)
	for clicks.Load() != 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := clicks.Load(); n != 2 {
		t.Fatalf("two clicks ran the action %d times", n)
	}
	close(replaced)
}

// A menu whose words changed keeps its items (and their ids, which a panel showing the menu
// holds); one with items added, removed or of another kind is built anew.
func TestSameShapeUpdatesInPlace(t *testing.T) {
	shown := shownOf
	base := []Item{{Label: "Work — valid for 52 min", Children: []Item{{Label: "Copy token", Action: func() {}}, {Separator: true}, {Label: "Sign out", Action: func() {}}}},
		{Separator: true}, {Label: "Start at login", Checkbox: true}, {Label: "Quit", Action: func() {}}}
	words := []Item{{Label: "Work — valid for 51 min", Children: []Item{{Label: "Copy token"}, {Separator: true}, {Label: "Sign out", Disabled: true}}},
		{Separator: true}, {Label: "Start at login", Checkbox: true, Checked: true}, {Label: "Quit"}}
	if !sameShape(shown(base), words) {
		t.Error("new words, checks and enabled states rebuild the menu")
	}
	for name, other := range map[string][]Item{
		"an item more":          append(slices.Clone(words), Item{Label: "More"}),
		"a submenu item more":   {{Label: "Work", Children: []Item{{Label: "Copy token"}, {Separator: true}, {Label: "Sign out"}, {Label: "Act as"}}}, {Separator: true}, {Label: "Start at login", Checkbox: true}, {Label: "Quit"}},
		"a checkbox no more":    {words[0], words[1], {Label: "Start at login"}, words[3]},
		"a separator moved":     {words[0], words[2], words[1], words[3]},
		"a submenu that is not": {{Label: "Work"}, words[1], words[2], words[3]},
	} {
		if sameShape(shown(base), other) {
			t.Errorf("%s: updated in place", name)
		}
	}
}

func shownOf(menu []Item) []*shownItem {
	var out []*shownItem
	for _, it := range menu {
		out = append(out, &shownItem{item: it, children: shownOf(it.Children)})
	}
	return out
}
