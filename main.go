// Command tokentray keeps API credentials fresh from the system tray.
//
//	tokentray            start the tray app
//	tokentray version    print the version
//
// See README.md. The logic lives in app/ (no UI), auth/ (OAuth and the keyring) and tray/ (Fyne).
package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

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

	state := tray.MenuState{}
	cfg, err := app.LoadConfig(paths.Config)
	if err != nil {
		log.Error("could not load the accounts", "err", err)
		state.Problem = err.Error()
	} else {
		for _, a := range cfg.Accounts {
			state.Accounts = append(state.Accounts, a.Name)
		}
	}

	fyneapp.SetMetadata(fyne.AppMetadata{ID: meta.Details.ID, Name: meta.Details.Name,
		Version: meta.Details.Version, Build: meta.Details.Build})
	a := fyneapp.NewWithID(meta.Details.ID)
	hasTray := tray.HostPresent()
	log.Info("starting", "version", meta.Details.Version, "tray_host", hasTray, "accounts", len(state.Accounts))
	tray.New(a, tray.Info{
		Version: meta.Details.Version, ConfigPath: paths.Config, LogPath: paths.Log,
		KeyringService: auth.DefaultService, TrayAvailable: hasTray,
	}, state)
	a.Run()
	log.Info("stopped")
	return 0
}
