package model

import "sync"

// Listeners are the functions to call after a change (a Subscribe's callers). The zero value is
// ready; it is safe for concurrent use, and calls the functions outside its lock.
type Listeners struct {
	mu   sync.Mutex
	next int
	fs   map[int]func()
}

// Add registers f; the returned func removes it.
func (l *Listeners) Add(f func()) (remove func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fs == nil {
		l.fs = map[int]func(){}
	}
	id := l.next
	l.next++
	l.fs[id] = f
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.fs, id)
	}
}

// Notify calls every registered function once.
func (l *Listeners) Notify() {
	l.mu.Lock()
	fs := make([]func(), 0, len(l.fs))
	for _, f := range l.fs {
		fs = append(fs, f)
	}
	l.mu.Unlock()
	for _, f := range fs {
		f()
	}
}
