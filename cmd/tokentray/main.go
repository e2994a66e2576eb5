// Command tokentray is the command line scripts run all day: `tokentray token NAME` and `tokentray
// exec NAME -- CMD` ask the running app for a credential over its socket, `version` answers
// itself, and every other command (and these two with no app running) is handed to the whole
// program, tokentray-tray, installed beside it. Its speed is what it imports: the wire and the
// command line's reader, no GUI toolkit, no OAuth, no encoding/json (TestLeanCommandLinksNoJSON),
// so `tokentray token` starts about as fast as any small Go program (make bench).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"tokentray/app/about"
	"tokentray/app/cli"
	"tokentray/app/ipc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run does the command line args. Each kind of command has a function of its own, so that run's
// frame stays small: the goroutine's stack starts at 2 KiB, and a `tokentray token` whose calls
// outgrow 4 KiB pays a second stack copy, and the page faults of the tables it walks (make bench).
func run(args []string, stdout, stderr io.Writer) int {
	cmd, err := cli.Parse(args, cli.LeanLookup)
	switch {
	case err != nil: // help, a mistake, or a command of the whole program's: it says what it has to
		return whole(args, stderr)
	case cmd.Name == "version":
		fmt.Fprintf(stdout, "tokentray %s\n", about.Version)
		return ipc.ExitOK
	case cmd.Name == "exec": // the credentials from the app, then the command in this process's place
		return execute(args, cmd, stderr)
	}
	if code, ok := ask(cmd, stdout, stderr); ok {
		return code
	}
	return whole(args, stderr)
}

// execute runs exec: the credentials from the app, then the command in this process's place.
func execute(args []string, cmd *cli.Command, stderr io.Writer) int {
	code, err := cli.RunExec(cmd, func(r ipc.Request) (*ipc.Response, error) {
		return ipc.Caller{}.Call(context.Background(), r, cmd.Spec.WaitFor(), nil)
	}, stderr)
	switch {
	case errors.Is(err, ipc.ErrNotRunning):
		return whole(args, stderr)
	case err != nil:
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
	}
	return code
}

// ask has the running app answer a lean command (a credential). ok is false when the app is not
// running and the whole program is to do the job.
func ask(cmd *cli.Command, stdout, stderr io.Writer) (code int, ok bool) {
	resp, err := ipc.Caller{}.Call(context.Background(), cmd.Request(), cmd.Spec.WaitFor(), nil)
	switch {
	case err == nil:
		return cli.Print(cmd, resp, stdout, stderr), true
	case !errors.Is(err, ipc.ErrNotRunning):
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitFailure, true
	}
	return 0, false
}
