// Command tokentray-tray is Tokentray's always-on app: the core, its socket, the tray item and its
// notifications (no GUI toolkit: the accounts window is a process of its own, cmd/tokentray-window).
// It is also every command of the command line, run through the app when the app runs and here
// otherwise; the lean `tokentray` scripts run all day (cmd/tokentray) hands it every command but
// the credential's. See `tokentray help`, README.md and ARCHITECTURE.md.
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"tokentray/app"
	"tokentray/app/about"
	"tokentray/app/cli"
	"tokentray/app/cli/commands"
	"tokentray/app/config"
	"tokentray/app/ipc"
	"tokentray/app/ipc/jsoncodec"
	"tokentray/app/logging"
	"tokentray/auth"
	"tokentray/tray/display"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run does the command line args: the tray app, the demo, or a command.
func run(args []string, stdout, stderr io.Writer) int {
	cmd, err := commands.Parse(args)
	switch {
	case errors.Is(err, cli.ErrHelp):
		return helpAsked(cmd, stdout, stderr)
	case err != nil:
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitUsage
	}
	switch cmd.Name {
	case "version":
		fmt.Fprintf(stdout, "tokentray %s\n", about.Version)
		return ipc.ExitOK
	case "help", "providers", "completion":
		return local(cmd, stdout, stderr)
	}
	paths, err := config.DefaultPaths()
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitFailure
	}
	if why := display.Missing(); why != "" && (cmd.Name == "" || cmd.Name == "demo") {
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
	log, closer, err := logging.OpenLog(paths.Log, cmd.Debug, stderr)
	if err == nil {
		defer closer.Close()
		slog.SetDefault(log)
	} else {
		slog.SetDefault(slog.New(slog.DiscardHandler))
	}
	r := &runner{deps: app.Production(paths, auth.DefaultService), caller: ipc.Caller{Codec: jsoncodec.Codec{}},
		stdin: os.Stdin, stdout: stdout, stderr: stderr}
	return r.run(cmd)
}
