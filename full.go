//go:build !cli && !window

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
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"tokentray/app"
	"tokentray/app/ipc"
	"tokentray/app/model"
	"tokentray/auth"
	"tokentray/tray"
)

// whole runs the command in this process: the tray app, the demo, or a command without the app.
func whole(_ []string, cmd *ipc.Command, stdout, stderr io.Writer) int {
	paths, err := app.DefaultPaths()
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitFailure
	}
	if why := noDisplay(); why != "" && (cmd.Name == "" || cmd.Name == "demo") {
		fmt.Fprintf(stderr, "tokentray: the tray app cannot start: %s.\n", why)
		return ipc.ExitFailure
	}
	switch cmd.Name {
	case "":
		return runTray(trayOptions{paths: paths, keyring: auth.DefaultService, socket: ipc.SocketPath(), debug: cmd.Debug}, stderr)
	case "demo":
		return runDemo(cmd.Debug, stderr)
	}
	// A command's log goes to the log file (and stderr with --debug): stderr is for its messages.
	log, closer, lerr := app.OpenLog(paths.Log, cmd.Debug, stderr)
	if lerr == nil {
		defer closer.Close()
		slog.SetDefault(log)
	} else {
		slog.SetDefault(slog.New(slog.DiscardHandler))
	}
	cli := &app.CLI{Deps: app.Production(paths, auth.DefaultService), Stdin: os.Stdin, Stdout: stdout, Stderr: stderr}
	return cli.Run(*cmd)
}

// trayOptions say where the tray app keeps things: the real places, or the demo's.
type trayOptions struct {
	paths   app.Paths
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
	log, closer, err := app.OpenLog(o.paths.Log, o.debug, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return 1
	}
	defer closer.Close()
	slog.SetDefault(log)

	// One app per user: the socket is the single-instance check.
	ln, err := app.ListenSocket(o.socket)
	if errors.Is(err, app.ErrAlreadyRunning) {
		if _, err := ipc.Call(context.Background(), ipc.Request{Op: "show"}, 5*time.Second); err != nil {
			fmt.Fprintf(stderr, "tokentray: something of yours listens on Tokentray's socket %s but does not answer as Tokentray (%v).\n"+
				"If no Tokentray is running, end the program that holds it, or remove the socket, and start Tokentray again.\n", o.socket, err)
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
	deps.Autostart = app.Autostart{ID: details("ID"), Exec: autostartExec()}
	core := app.NewCore(deps)
	if p := core.ConfigProblem(); p != "" {
		log.Error("could not load the accounts", "err", p)
	}
	hasTray := tray.HostPresent()
	log.Info("starting", "version", details("Version"), "tray_host", hasTray)
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	win := &windowProcess{socket: o.socket, log: log}
	info := func() model.AppInfo {
		return model.AppInfo{Version: details("Version"), ConfigPath: o.paths.Config, LogPath: o.paths.Log, KeyringService: o.keyring,
			TrayAvailable: hasTray, Demo: o.demo, Command: o.command, Shown: win.shown()}
	}
	show := func() {
		win.show()
		core.Changed() // a window already open sees Shown grow, and comes forward
	}
	quit := make(chan struct{})
	var once sync.Once
	quitOnce := func() { once.Do(func() { close(quit) }) }
	if ln != nil {
		srv := &app.SocketServer{Handle: func(ctx context.Context, req ipc.Request, send func(ipc.Response) error) ipc.Response {
			return core.Answer(ctx, req, app.Faces{Show: show, Quit: quitOnce, Info: info}, send)
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
		t := &tray.Tray{Core: core, Renderer: s, Desktop: tray.NewDesktop(details("ID"), show), Clipboard: clip,
			ShowAccounts: show, Quit: quitOnce}
		t.Start(ctx)
	}, func() {})
	win.stop()
	log.Info("stopped")
	return 0
}

// autostartExec is what start at login runs: the lean command beside this program if there is
// one (it starts this program), else this program.
func autostartExec() string {
	self, err := os.Executable()
	if err != nil {
		return "tokentray"
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
