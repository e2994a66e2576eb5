package main

import (
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
)

// windowProcess is the accounts window's process, tokentray-window beside this program: started
// when the window is asked for, gone when the person closes it.
type windowProcess struct {
	socket string
	log    *slog.Logger

	mu    sync.Mutex
	cmd   *exec.Cmd // while it runs
	count int       // how often the window was asked for (model.AppInfo.Shown)
}

// show starts the window's process, or, when it runs, lets it see it is asked to come forward.
func (w *windowProcess) show() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.count++
	if w.cmd != nil {
		return
	}
	cmd := exec.Command(sibling("tokentray-window"), "--socket", w.socket)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		w.log.Error("could not start the accounts window", "program", cmd.Path, "err", err)
		return
	}
	w.cmd = cmd
	go func() {
		err := cmd.Wait()
		w.log.Info("the accounts window closed", "err", err)
		w.mu.Lock()
		w.cmd = nil
		w.mu.Unlock()
	}()
}

func (w *windowProcess) shown() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.count
}

// stop ends the window's process with the app.
func (w *windowProcess) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd != nil {
		_ = w.cmd.Process.Kill()
	}
}

// sibling is the path of the program name installed beside this one.
func sibling(name string) string {
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	self, err := os.Executable()
	if err != nil {
		return name
	}
	return filepath.Join(filepath.Dir(self), name)
}
