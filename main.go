//go:build !window

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"tokentray/app/ipc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run does the command line args. Each kind of command has a function of its own, so that run's
// frame stays small: the goroutine's stack starts at 2 KiB, and a `tokentray token` whose calls
// outgrow 4 KiB pays a second stack copy, and the page faults of the tables it walks (make bench).
func run(args []string, stdout, stderr io.Writer) int {
	cmd, err := ipc.Parse(args)
	switch {
	case errors.Is(err, ipc.ErrHelp):
		return helpAsked(args, cmd, stdout, stderr)
	case err != nil:
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitUsage
	case cmd.Name == "version":
		fmt.Fprintf(stdout, "tokentray %s\n", details("Version"))
		return ipc.ExitOK
	case cmd.Name == "help", cmd.Name == "providers", cmd.Name == "completion":
		return local(args, cmd, stdout, stderr)
	case cmd.Name == "exec": // the credentials from the app, then the command in this process's place
		return execute(args, cmd, stdout, stderr)
	case cmd.Spec.Lean:
		if code, ok := ask(cmd, stdout, stderr); ok {
			return code
		}
	}
	return whole(args, cmd, stdout, stderr)
}

// execute runs exec: the credentials from the app, then the command in this process's place.
func execute(args []string, cmd *ipc.Command, stdout, stderr io.Writer) int {
	code, err := ipc.RunExec(cmd, func(r ipc.Request) (*ipc.Response, error) {
		return ipc.CallWith(context.Background(), r, cmd.Spec.WaitFor(), nil)
	}, stderr)
	switch {
	case errors.Is(err, ipc.ErrNotRunning):
		return whole(args, cmd, stdout, stderr)
	case err != nil:
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
	}
	return code
}

// ask has the running app answer a lean command (a credential). ok is false when the app is not
// running and the whole program is to do the job.
func ask(cmd *ipc.Command, stdout, stderr io.Writer) (code int, ok bool) {
	resp, err := ipc.CallWith(context.Background(), cmd.Request(), cmd.Spec.WaitFor(), ipc.Progress(cmd, stderr))
	switch {
	case err == nil:
		return ipc.Print(cmd, resp, stdout, stderr), true
	case !errors.Is(err, ipc.ErrNotRunning):
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitFailure, true
	}
	return 0, false
}
