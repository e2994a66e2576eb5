package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"tokentray/app/autostart"
	"tokentray/app/config"
	"tokentray/app/logging"
	"tokentray/app/server"

	"tokentray/app"
	"tokentray/app/about"
	"tokentray/app/ipc"
	"tokentray/app/ipc/jsoncodec"
	"tokentray/app/model"
	"tokentray/tray"
)

// trayOptions say where the tray app keeps things: the real places, or the demo's.
type trayOptions struct {
	paths   config.Paths
	keyring string // the keyring service name
	socket  string // where the app listens
	debug   bool
	demo    bool
	command string // how a terminal reaches it (the demo says so)
}

// runTray runs the always-on app: the core, its socket, the tray item, and the accounts window
// in a process of its own while it is open. No GUI toolkit runs in this process.
func runTray(o trayOptions, stderr io.Writer) int {
	// The app waits all day with a small heap: collecting at half the default growth keeps its
	// resident memory near the floor of a tray item (make bench) for a few more, short, collections.
	debug.SetGCPercent(50)
	log, closer, err := logging.OpenLog(o.paths.Log, o.debug, stderr)
	if err != nil {
		say(stderr, fmt.Sprintf("tokentray: %v\n", err))
		return 1
	}
	defer closer.Close()
	slog.SetDefault(log)

	// One app per user: the socket is the single-instance check.
	ln, err := server.ListenSocket(o.socket)
	if errors.Is(err, server.ErrAlreadyRunning) {
		running := ipc.Caller{Socket: o.socket, Codec: jsoncodec.Codec{}}
		if _, err := running.Call(context.Background(), ipc.Request{Op: ipc.OpShow}, 5*time.Second, nil); err != nil {
			say(stderr, fmt.Sprintf("tokentray: something of yours listens on Tokentray's socket %s but does not answer as Tokentray (%v).\n"+
				"If no Tokentray is running, end the program that holds it, or remove the socket, and start Tokentray again.\n", o.socket, err))
			return ipc.ExitFailure
		}
		fmt.Fprintln(stderr, "Tokentray is already running; its window was brought forward.")
		return 0
	}
	if err != nil {
		log.Error("could not open the command socket; `tokentray token` will work without the app", "err", err)
	}

	deps := app.Production(o.paths, o.keyring)
	deps.Log = log
	deps.Autostart = autostart.Autostart{ID: about.ID, Exec: autostartExec()}
	core := app.NewCore(deps)
	if p := core.ConfigProblem(); p != "" {
		log.Error("could not load the accounts", "err", p)
	}
	hasTray := tray.HostPresent()
	log.Info("starting", "version", about.Version, "tray_host", hasTray)
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	win := &windowProcess{socket: o.socket, log: log}
	info := func() model.AppInfo {
		return model.AppInfo{Version: about.Version, ConfigPath: o.paths.Config, LogPath: o.paths.Log, KeyringService: o.keyring,
			TrayAvailable: hasTray, Demo: o.demo, Command: o.command, Shown: win.shown(), PID: os.Getpid()}
	}
	show := func() {
		win.show()
		core.Changed() // a window already open sees Shown grow, and comes forward
	}
	quit := make(chan struct{})
	var once sync.Once
	quitOnce := func() { once.Do(func() { close(quit) }) }
	if ln != nil {
		faces := app.Faces{Show: show, Quit: quitOnce, Info: info}
		srv := &server.SocketServer{Handle: func(ctx context.Context, req ipc.Request, peer ipc.Peer, send func(ipc.Response) error) (ipc.Response, func()) {
			return core.Answer(ctx, req, app.Call{Asker: app.AskerOf(req, peer), Faces: faces, Send: send})
		}, Quick: func(req ipc.Request, peer ipc.Peer) (ipc.Response, func(), bool) {
			return core.AnswerNow(req, app.AskerOf(req, peer))
		}}
		go func() { _ = srv.Serve(ln) }()
		defer ln.Close() // removes the socket file
	}
	go core.Run(ctx)
	if !hasTray {
		log.Info("no tray host on this desktop: showing the accounts window instead")
		show()
	}
	clip := &tray.Copier{Clipboard: tray.SystemClipboard()}
	go func() {
		select {
		case <-ctx.Done():
		case <-quit:
		}
		clip.Clear()
		tray.QuitSystray()
	}()
	tray.RunSystray("Tokentray", func(s *tray.Systray) {
		t := &tray.Tray{Core: core, Renderer: s, Desktop: tray.NewDesktop(about.ID, show), Clipboard: clip,
			ShowAccounts: show, Quit: quitOnce}
		t.Start(ctx)
	}, func() {})
	win.stop()
	log.Info("stopped")
	return 0
}

// autostartExec is what start at login runs: the lean command beside this program if there is
// one (it starts this program), else this program. On Windows it is this program: the lean
// command is a console program, and would open a console window at every login.
func autostartExec() string {
	self, err := os.Executable()
	if err != nil {
		return "tokentray"
	}
	if runtime.GOOS == "windows" {
		return self
	}
	if lean := sibling("tokentray"); lean != self && fileExists(lean) {
		return lean
	}
	// installed: /usr/lib/tokentray/tokentray-tray and /usr/bin/tokentray (or under PREFIX)
	if lean := filepath.Join(filepath.Dir(self), "..", "..", "bin", "tokentray"); filepath.Base(filepath.Dir(self)) == "tokentray" && fileExists(lean) {
		return filepath.Clean(lean)
	}
	return self
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
