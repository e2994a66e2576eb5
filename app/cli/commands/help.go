package commands

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"tokentray/app/cli"
)

// Usage is `tokentray --help`: every command in a line, from Commands.
func Usage() string {
	var b strings.Builder
	b.WriteString("Usage:\n")
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, s := range append([]cli.Spec{tray}, Commands...) {
		fmt.Fprintf(w, "  %s\t%s\n", synopsis(s), s.Summary)
	}
	w.Flush()
	b.WriteString(`
NAME is an account's name (any case), its id, or a beginning of the name or of a word in it
that only one account has ("onsip" finds "Demo OnSIP").
Provider kinds: net2phone, avaya, onsip, oidc; ` + "`tokentray providers KIND`" + ` lists one's settings.
` + "`tokentray help COMMAND`" + ` (or COMMAND --help) tells more about one command.

Exit codes: 0 ok, 1 other failure, 2 usage, 3 sign-in required (or not signed in),
4 no such account; the same whether the app runs or not.
Errors go to stderr; stdout has only what was asked for.
`)
	return b.String()
}

// Help is one command's usage, its flags, what it does and examples.
func Help(spec cli.Spec) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n%s\n", synopsis(spec), spec.Summary)
	if spec.Help != "" {
		fmt.Fprintf(&b, "\n%s\n", wrapText(spec.Help, 96))
	}
	if len(spec.Flags) > 0 {
		b.WriteString("\nFlags:\n")
		w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, f := range spec.Flags {
			d := cli.Flags[f]
			fmt.Fprintf(w, "  --%s\t%s\n", strings.TrimSpace(f+" "+d.Arg), d.Help)
		}
		w.Flush()
	}
	if len(spec.Examples) > 0 {
		b.WriteString("\nExamples:\n")
		for _, e := range spec.Examples {
			fmt.Fprintf(&b, "  %s\n", e)
		}
	}
	return b.String()
}

func synopsis(s cli.Spec) string {
	var opts []string
	for _, f := range s.Flags {
		opts = append(opts, "[--"+strings.TrimSpace(f+" "+cli.Flags[f].Arg)+"]")
	}
	args := slices.Clone(s.Args)
	at := slices.Index(args, "--") // flags go before the command exec runs
	if at < 0 {
		at = len(args)
	}
	parts := append([]string{s.Display()}, args[:at]...)
	parts = append(append(parts, opts...), args[at:]...)
	return strings.Join(parts, " ")
}

// wrapText folds s into lines of at most width.
func wrapText(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+1+len(w) > width {
			b.WriteString("\n")
			n = 0
		} else if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
