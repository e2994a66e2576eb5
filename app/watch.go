package app

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchConfig reloads the accounts file when it changes on disk (an editor saving it, another
// program adding an account), so a file fixed by hand clears its error without a restart. It
// watches the folder, since editors and SaveConfig replace the file by renaming a new one over it.
func (c *Core) watchConfig(ctx context.Context) {
	dir, name := filepath.Split(c.d.Paths.Config)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		c.d.Log.Warn("not watching the accounts file", "err", err)
		return
	}
	w, err := fsnotify.NewWatcher()
	if err == nil {
		err = w.Add(dir)
	}
	if err != nil {
		c.d.Log.Warn("not watching the accounts file; changes made by hand show after a restart", "err", err)
		if w != nil {
			w.Close()
		}
		return
	}
	defer w.Close()
	var settle <-chan time.Time // a save is several events: reload once they stop
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if filepath.Base(ev.Name) == name {
				settle = time.After(200 * time.Millisecond)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			c.d.Log.Warn("watching the accounts file", "err", err)
		case <-settle:
			settle = nil
			if err := c.Reload(); err != nil {
				c.d.Log.Error("the accounts file changed and does not load", "err", err)
			} else {
				c.d.Log.Info("the accounts file changed: reloaded")
			}
		}
	}
}
