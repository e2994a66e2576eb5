//go:build !cli

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"tokentray/app"
	"tokentray/app/ipc"
	"tokentray/auth"
	"tokentray/tray"
)

// whole runs the command in this process: the tray app, or a command that needs the whole program.
func whole(_ []string, cmd ipc.Command, stdout, stderr io.Writer) int {
	if cmd.Name == "" || cmd.Name == "show" {
		return runTray(cmd.Debug, stderr)
	}
	// A command's log goes to stderr, warnings only unless --debug, through the same redaction.
	level := slog.LevelWarn
	if cmd.Debug {
		level = slog.LevelDebug
	}
	slog.SetDefault(slog.New(app.NewRedactingHandler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))))
	cli := &app.CLI{Paths: app.DefaultPaths(), KeyringService: auth.DefaultService, Stdin: os.Stdin, Stdout: stdout, Stderr: stderr}
	return cli.Run(cmd)
}

func runTray(debug bool, stderr io.Writer) int {
	paths := app.DefaultPaths()
	log, closer, err := app.OpenLog(paths.Log, debug, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return 1
	}
	defer closer.Close()
	slog.SetDefault(log)

	// One app per user: the socket is the single-instance check.
	ln, err := app.ListenSocket(ipc.SocketPath())
	if errors.Is(err, app.ErrAlreadyRunning) {
		_, _ = ipc.Call(context.Background(), ipc.Request{Op: "show"}, 5*time.Second)
		fmt.Fprintln(stderr, "Tokentray is already running; its window was brought forward.")
		return 0
	}
	if err != nil {
		log.Error("could not open the command socket; `tokentray token` will work without the app", "err", err)
	}

	state := tray.MenuState{Now: time.Now()}
	svc, err := app.NewService(paths, auth.NewKeyring(auth.DefaultService), app.Options{}, "")
	if err != nil {
		log.Error("could not load the accounts", "err", err)
		state.Problem = err.Error()
	}

	build, _ := strconv.Atoi(details("Build"))
	fyneapp.SetMetadata(fyne.AppMetadata{ID: details("ID"), Name: details("Name"), Version: details("Version"), Build: build})
	a := fyneapp.NewWithID(details("ID"))
	hasTray := tray.HostPresent()
	log.Info("starting", "version", details("Version"), "tray_host", hasTray)
	ui := tray.New(a, tray.Info{
		Version: details("Version"), ConfigPath: paths.Config, LogPath: paths.Log,
		KeyringService: auth.DefaultService, TrayAvailable: hasTray,
	}, state)

	if svc != nil {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go svc.M.Run(ctx)
		refresh := func() { ui.Update(tray.MenuState{Accounts: trayAccounts(svc.M.Snapshot()), Now: time.Now()}) }
		refresh()
		svc.M.Subscribe(func(app.Status) { refresh() })
		svc.Reloaded = func(*app.Config) { refresh() }
		svc.Show = func() { fyne.Do(ui.ShowAccounts) }
		svc.OpenURL = func(u string) error {
			if os.Getenv("BROWSER") != "" {
				return auth.OpenBrowser(u)
			}
			parsed, err := url.Parse(u)
			if err != nil {
				return err
			}
			return a.OpenURL(parsed)
		}
		go func() { // keep "valid for 52 min" true between state changes
			for range time.Tick(30 * time.Second) {
				refresh()
			}
		}()
	}
	if ln != nil {
		handle := func(ctx context.Context, req ipc.Request) ipc.Response {
			if svc == nil {
				return ipc.Response{Error: "the accounts file has a problem: " + state.Problem, Code: ipc.ExitFailure}
			}
			return svc.Handle(ctx, req)
		}
		srv := &app.SocketServer{Handle: handle, OpTimeout: func(op string) time.Duration {
			if op == "login" {
				return auth.DefaultSignInTimeout + 30*time.Second
			}
			return 60 * time.Second
		}}
		go func() { _ = srv.Serve(ln) }()
		defer ln.Close() // removes the socket file
	}
	a.Run()
	log.Info("stopped")
	return 0
}

// trayAccounts is the manager's view of the accounts in the tray's terms.
func trayAccounts(sts []app.Status) []tray.Account {
	out := make([]tray.Account, len(sts))
	for i, s := range sts {
		out[i] = tray.Account{Name: s.Name, State: s.State.String(), Expiry: s.Expiry, Problem: s.Err}
	}
	return out
}
