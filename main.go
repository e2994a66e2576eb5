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
	case errors.Is(err, ipc.ErrHelp) && cmd.Name == "": // tokentray --help: every command
		fmt.Fprint(stdout, ipc.Usage())
		return ipc.ExitOK
	case errors.Is(err, ipc.ErrHelp):
		fmt.Fprint(stdout, ipc.Help(cmd.Spec))
		if cmd.Name == "add" && cmd.Provider != "" { // add --provider KIND --help: and that kind's settings
			return providers(cmd.Provider, stdout, stderr)
		}
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
	case "providers":
		return providers(cmd.Topic, stdout, stderr)
	case "completion":
		script, err := ipc.Completion(cmd.Topic)
		if err != nil {
			fmt.Fprintf(stderr, "tokentray: %v\n", err)
			return ipc.ExitUsage
		}
		fmt.Fprint(stdout, script)
		return ipc.ExitOK
	}
	if cmd.Name == "exec" { // the credentials from the app, then the command in this process's place
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
	if cmd.Spec.Lean {
		if cmd.BodyStdin { // api -d @-: stdin is read only once the app is known to take it
			if err := ipc.Probe(); errors.Is(err, ipc.ErrNotRunning) {
				return whole(args, cmd, stdout, stderr)
			} else if err != nil {
				fmt.Fprintf(stderr, "tokentray: %v\n", err)
				return ipc.ExitFailure
			}
			if err := cmd.ReadBody(os.Stdin); err != nil {
				fmt.Fprintf(stderr, "tokentray: %v\n", err)
				return ipc.ExitUsage
			}
		}
		resp, err := ipc.CallWith(context.Background(), cmd.Request(), cmd.Spec.WaitFor(), ipc.Progress(cmd, stderr))
		switch {
		case err == nil:
			return ipc.Print(cmd, resp, stdout, stderr)
		case !errors.Is(err, ipc.ErrNotRunning):
			fmt.Fprintf(stderr, "tokentray: %v\n", err)
			return ipc.ExitFailure
		case cmd.BodyStdin: // the app went since the probe, and the body with it
			fmt.Fprintln(stderr, "tokentray: Tokentray ended before it took the request; run the command again")
			return ipc.ExitFailure
		}
	}
	return whole(args, cmd, stdout, stderr)
}

// providers prints the provider kinds, or one kind's settings.
func providers(kind string, stdout, stderr io.Writer) int {
	text, err := ipc.Providers(kind)
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return ipc.ExitUsage
	}
	if kind != "" && text != "" {
		fmt.Fprintln(stdout)
	}
	fmt.Fprint(stdout, text)
	return ipc.ExitOK
}

// help prints every command's line, or one command's usage.
func help(topic string, stdout, stderr io.Writer) int {
	if topic == "" {
		fmt.Fprint(stdout, ipc.Usage())
		return ipc.ExitOK
	}
	spec, ok := ipc.Lookup(topic)
	if !ok {
		fmt.Fprintf(stderr, "tokentray: no command %q; the commands are in `tokentray help`\n", topic)
		return ipc.ExitUsage
	}
	fmt.Fprint(stdout, ipc.Help(spec))
	return ipc.ExitOK
}
