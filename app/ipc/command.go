package ipc

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Usage is `tokentray --help`.
const Usage = `Usage:
  tokentray                         start the tray app (or bring the running one forward)
  tokentray token NAME [--min-valid 10m] [--format raw|bearer|header|json|env]
                                    print a credential; with --min-valid, one valid for at least that long
  tokentray list [--json]           list the accounts and their state
  tokentray status NAME             show one account
  tokentray login NAME              sign in through the browser; waits and reports
  tokentray logout NAME             sign out: revoke where possible, forget the tokens
  tokentray add NAME --provider KIND [--set key=value ...] [--secret KEY --secret-stdin]
                                    add an account (secrets are read from stdin, never arguments)
  tokentray remove NAME             remove an account and all its secrets
  tokentray version                 print the version
  tokentray demo                    try everything with built-in demo providers: no vendor account needed
  tokentray [--debug]               with the tray: also log to stderr

NAME is an account's name (any case), a unique beginning of one, or its id.
Provider kinds: net2phone, avaya, onsip, oidc.

Exit codes: 0 ok, 1 other failure, 2 usage, 3 sign-in required, 4 no such account,
5 Tokentray is not running and there is no stored credential.
Errors go to stderr; stdout has only what was asked for.
`

// Command is a parsed command line.
type Command struct {
	Name        string // token, list, status, login, logout, add, remove, version, "" (the tray)
	Account     string
	MinValid    time.Duration // with MinValidSet; else the app's default
	MinValidSet bool
	Format      string
	JSON        bool
	Debug       bool
	Provider    string
	Sets        []string // key=value
	Secret      string   // the secret's key, with SecretStdin
	SecretStdin bool
}

// ErrHelp means --help was asked for.
var ErrHelp = flag.ErrHelp

// Parse reads a command line. Flags may come before or after NAME.
func Parse(args []string) (Command, error) {
	c := Command{Format: "raw"}
	fs := flag.NewFlagSet("tokentray", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("min-valid", "", func(s string) error {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return fmt.Errorf("--min-valid wants a duration that is not negative, such as 10m, not %q", s)
		}
		c.MinValid, c.MinValidSet = d, true
		return nil
	})
	fs.StringVar(&c.Format, "format", c.Format, "")
	fs.BoolVar(&c.JSON, "json", false, "")
	fs.BoolVar(&c.Debug, "debug", false, "")
	fs.StringVar(&c.Provider, "provider", "", "")
	fs.Func("set", "", func(s string) error {
		if !strings.Contains(s, "=") {
			return fmt.Errorf("--set wants key=value, not %q", s)
		}
		c.Sets = append(c.Sets, s)
		return nil
	})
	fs.StringVar(&c.Secret, "secret", "", "")
	fs.BoolVar(&c.SecretStdin, "secret-stdin", false, "")
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return c, ErrHelp
			}
			return c, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) > 0 {
		c.Name = pos[0]
	}
	want := map[string]int{"": 0, "version": 0, "list": 0, "token": 1, "status": 1, "login": 1, "logout": 1, "add": 1, "remove": 1, "show": 0, "demo": 0}
	n, ok := want[c.Name]
	switch {
	case !ok:
		return c, fmt.Errorf("unknown command %q", c.Name)
	case len(pos)-1 < n && c.Name != "":
		return c, fmt.Errorf("%s needs an account NAME", c.Name)
	case len(pos)-1 > n:
		return c, fmt.Errorf("%s takes %d argument(s), got %q", c.Name, n, strings.Join(pos[1:], " "))
	}
	if n == 1 {
		c.Account = pos[1]
	}
	switch c.Format {
	case "raw", "bearer", "header", "json", "env":
	default:
		return c, fmt.Errorf("--format must be raw, bearer, header, json or env, not %q", c.Format)
	}
	if c.Name == "add" && c.Provider == "" {
		return c, fmt.Errorf("add needs --provider KIND")
	}
	if (c.Secret != "") != c.SecretStdin {
		return c, fmt.Errorf("--secret KEY and --secret-stdin go together: the secret is read from stdin, never from arguments")
	}
	return c, nil
}

// Request is the socket request for c.
func (c Command) Request() Request {
	r := Request{Op: c.Name, Account: c.Account}
	if c.Name == "token" && c.MinValidSet {
		r.MinValid = c.MinValid.String()
	}
	return r
}

// Print writes the answer to c: the result on stdout, an error on stderr. It returns the exit code.
func Print(c Command, r *Response, stdout, stderr io.Writer) int {
	if r.Error != "" {
		fmt.Fprintf(stderr, "tokentray: %s\n", r.Error)
		if r.Code == 0 {
			return ExitFailure
		}
		return r.Code
	}
	switch c.Name {
	case "token":
		if r.Token == nil {
			fmt.Fprintln(stderr, "tokentray: the app returned no token")
			return ExitFailure
		}
		fmt.Fprintln(stdout, FormatToken(*r.Token, c.Format))
	case "list":
		if c.JSON {
			b, _ := json.MarshalIndent(nonNil(r.Accounts), "", "  ")
			fmt.Fprintln(stdout, string(b))
			break
		}
		if len(r.Accounts) == 0 {
			fmt.Fprintln(stderr, "No accounts yet: add one with `tokentray add NAME --provider KIND` or in the Accounts window.")
			break
		}
		w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tPROVIDER\tSTATE\tEXPIRES\tIDENTITY")
		for _, a := range r.Accounts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Provider, a.State, when(a.Expiry), a.Identity)
		}
		w.Flush()
	case "status":
		for _, a := range r.Accounts {
			fmt.Fprintf(stdout, "Name:       %s\nId:         %s\nProvider:   %s\nState:      %s\n", a.Name, a.ID, a.Provider, a.State)
			if !a.Expiry.IsZero() {
				fmt.Fprintf(stdout, "Expires:    %s\n", when(a.Expiry))
			}
			if !a.RefreshExpiry.IsZero() {
				fmt.Fprintf(stdout, "Sign-in ends: %s\n", when(a.RefreshExpiry))
			}
			if a.Identity != "" {
				fmt.Fprintf(stdout, "Signed in as: %s\n", a.Identity)
			}
			if a.Error != "" {
				fmt.Fprintf(stdout, "Problem:    %s\n", a.Error)
			}
		}
	case "login":
		if len(r.Accounts) == 1 {
			fmt.Fprintf(stderr, "Signed in to %s as %s.\n", r.Accounts[0].Name, r.Accounts[0].Identity)
		}
	case "logout":
		if len(r.Accounts) == 1 {
			fmt.Fprintf(stderr, "Signed out of %s.\n", r.Accounts[0].Name)
		}
	}
	return ExitOK
}

// FormatToken renders t as --format asks: the credential alone, "Bearer …", an Authorization
// header (OnSIP: the SessionId as a form parameter has no header, so it prints "SessionId: …"),
// JSON with expiry, scope and identity, or a shell assignment safe to eval.
func FormatToken(t Token, format string) string {
	switch format {
	case "bearer":
		return "Bearer " + t.Value
	case "header":
		if t.Kind == "onsip-session" {
			return "SessionId: " + t.Value
		}
		return "Authorization: Bearer " + t.Value
	case "json":
		b, _ := json.Marshal(t)
		return string(b)
	case "env":
		return "TOKENTRAY_TOKEN=" + ShellQuote(t.Value)
	}
	return t.Value
}

// ShellQuote quotes s for a POSIX shell: s in single quotes, each single quote in it closed,
// escaped and reopened. Whatever s holds, eval of the result assigns it and runs nothing.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func nonNil(a []Account) []Account {
	if a == nil {
		return []Account{}
	}
	return a
}
