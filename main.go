// Command tokentray keeps API credentials fresh from the system tray.
//
//	tokentray            start the tray app
//	tokentray version    print the version
//
// See README.md. The logic lives in app/ (no UI), auth/ (OAuth and the keyring) and tray/ (Fyne).
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"github.com/pelletier/go-toml/v2"

	"tokentray/app"
	"tokentray/auth"
	"tokentray/tray"
)

//go:embed FyneApp.toml
var fyneAppTOML []byte

// metadata is FyneApp.toml's [Details]: the one source of the app ID, name and version.
type metadata struct {
	Details struct {
		ID, Name, Version string
		Build             int
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var meta metadata
	if err := toml.Unmarshal(fyneAppTOML, &meta); err != nil {
		fmt.Fprintf(stderr, "tokentray: FyneApp.toml: %v\n", err)
		return 1
	}
	fs := flag.NewFlagSet("tokentray", flag.ContinueOnError)
	fs.SetOutput(stderr)
	debug := fs.Bool("debug", false, "also log to stderr, at debug level")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage:\n  tokentray [--debug]      start the tray app\n  tokentray version        print the version\n")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch fs.Arg(0) {
	case "":
		return runTray(meta, *debug, stderr)
	case "version":
		fmt.Fprintf(stdout, "tokentray %s\n", meta.Details.Version)
		return 0
	default:
		fmt.Fprintf(stderr, "tokentray: unknown command %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
}

func runTray(meta metadata, debug bool, stderr io.Writer) int {
	paths := app.DefaultPaths()
	log, closer, err := app.OpenLog(paths.Log, debug, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return 1
	}
	defer closer.Close()
	slog.SetDefault(log)

	state := tray.MenuState{Now: time.Now()}
	cfg, err := app.LoadConfig(paths.Config)
	if err != nil {
		log.Error("could not load the accounts", "err", err)
		state.Problem = err.Error()
		cfg = &app.Config{} // run with no accounts; the broken file stays untouched
	}
	// Every signed-in account comes back from the keyring, without a browser.
	manager := app.NewManager(cfg, app.Options{Store: auth.NewKeyring(auth.DefaultService)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go manager.Run(ctx)
	if state.Problem == "" {
		state.Accounts = trayAccounts(manager.Snapshot())
	}

	fyneapp.SetMetadata(fyne.AppMetadata{ID: meta.Details.ID, Name: meta.Details.Name,
		Version: meta.Details.Version, Build: meta.Details.Build})
	a := fyneapp.NewWithID(meta.Details.ID)
	hasTray := tray.HostPresent()
	log.Info("starting", "version", meta.Details.Version, "tray_host", hasTray, "accounts", len(state.Accounts))
	ui := tray.New(a, tray.Info{
		Version: meta.Details.Version, ConfigPath: paths.Config, LogPath: paths.Log,
		KeyringService: auth.DefaultService, TrayAvailable: hasTray,
	}, state)
	if state.Problem == "" {
		refresh := func() { ui.Update(tray.MenuState{Accounts: trayAccounts(manager.Snapshot()), Now: time.Now()}) }
		manager.Subscribe(func(app.Status) { refresh() })
		go func() { // keep "valid for 52 min" true between state changes
			for range time.Tick(30 * time.Second) {
				refresh()
			}
		}()
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
