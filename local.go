package main

import (
	"fmt"
	"io"

	"tokentray/app/cli"
	"tokentray/app/cli/commands"
	"tokentray/app/ipc"
)

// The help, the provider kinds and the completion scripts. The lean command hands these to this
// program, and so links neither the help's text/tabwriter nor the provider kinds
// (TestLeanCommandLinksNoJSON).

// helpAsked answers --help: every command's line, or one command's usage.
func helpAsked(cmd *cli.Command, stdout, stderr io.Writer) int {
	if cmd.Name == "" { // tokentray --help: every command
		fmt.Fprint(stdout, commands.Usage())
		return ipc.ExitOK
	}
	fmt.Fprint(stdout, commands.Help(cmd.Spec))
	if cmd.Name == "add" && cmd.Provider != "" { // add --provider KIND --help: and that kind's settings
		return providers(cmd.Provider, stdout, stderr)
	}
	return ipc.ExitOK
}

// local does the commands that print what the command table and the provider kinds say.
func local(cmd *cli.Command, stdout, stderr io.Writer) int {
	switch cmd.Name {
	case "help":
		return help(cmd.Topic, stdout, stderr)
	case "providers":
		return providers(cmd.Topic, stdout, stderr)
	case "completion":
		script, err := commands.Completion(cmd.Topic)
		if err != nil {
			fmt.Fprintf(stderr, "tokentray: %v\n", err)
			return ipc.ExitUsage
		}
		fmt.Fprint(stdout, script)
	}
	return ipc.ExitOK
}

// providers prints the provider kinds, or one kind's settings.
func providers(kind string, stdout, stderr io.Writer) int {
	text, err := commands.Providers(kind)
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
		fmt.Fprint(stdout, commands.Usage())
		return ipc.ExitOK
	}
	spec, ok := commands.Lookup(topic)
	if !ok {
		fmt.Fprintf(stderr, "tokentray: no command %q; the commands are in `tokentray help`\n", topic)
		return ipc.ExitUsage
	}
	fmt.Fprint(stdout, commands.Help(spec))
	return ipc.ExitOK
}
