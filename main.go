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

func run(args []string, stdout, stderr io.Writer) int {
	cmd, err := ipc.Parse(args)
	switch {
	case errors.Is(err, ipc.ErrHelp):
		fmt.Fprint(stdout, ipc.Help(cmd.Spec))
		return ipc.ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitUsage
	}
	switch cmd.Name {
	case "version":
		fmt.Fprintf(stdout, "tokentray %s\n", details("Version"))
		return ipc.ExitOK
	case "help":
		return help(cmd.Topic, stdout, stderr)
	}
	if cmd.Spec.Lean {
		resp, err := ipc.CallWith(context.Background(), cmd.Request(), cmd.Spec.WaitFor(), func(u string) {
			fmt.Fprintf(stderr, "Sign in at this address (your browser should be showing it):\n  %s\n", u)
		})
		switch {
		case err == nil:
			return ipc.Print(cmd, resp, stdout, stderr)
		case !errors.Is(err, ipc.ErrNotRunning):
			fmt.Fprintf(stderr, "tokentray: %v\n", err)
			return ipc.ExitFailure
		}
	}
	return whole(args, cmd, stdout, stderr)
}

// help prints every command's line, or one command's usage.
func help(topic string, stdout, stderr io.Writer) int {
	if topic == "" {
		fmt.Fprint(stdout, ipc.Usage())
		return ipc.ExitOK
	}
	spec, ok := ipc.Lookup(topic)
	if !ok || topic == "" {
		fmt.Fprintf(stderr, "tokentray: no command %q; the commands are in `tokentray help`\n", topic)
		return ipc.ExitUsage
	}
	fmt.Fprint(stdout, ipc.Help(spec))
	return ipc.ExitOK
}
