package tray

import (
	"sync/atomic"
	"testing"
	"time"
)

// A menu rebuilt under the person (every status change rebuilds it) must not click its old items:
// systray closes their channels, and a closed channel always receives.
func TestReplacedItemsAreNotClicked(t *testing.T) {
	for range 200 {
		var clicks atomic.Int32
		clicked, replaced := make(chan struct{}), make(chan struct{})
		ended := make(chan struct{})
		go func() { onClick(clicked, replaced, func() { clicks.Add(1) }); close(ended) }()
		close(replaced) // Render replaces the menu…
		close(clicked)  // …and systray.ResetMenu closes the old items' channels
		<-ended
		if n := clicks.Load(); n != 0 {
			t.Fatalf("a replaced item ran its action %d times", n)
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
