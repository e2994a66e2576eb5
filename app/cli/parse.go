package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"tokentray/app/ipc"
	"tokentray/app/model"
)

// Command is a parsed command line.
type Command struct {
	Spec        Spec
	Name        string // the command's name; "" starts the tray
	Account     string // NAME
	User        string // act-as USER
	Topic       string // help COMMAND, providers KIND
	MinValid    time.Duration
	MinValidSet bool // --min-valid was given; else the app's default validity
	Format      string
	JSON        bool
	Names       bool // list --names
	Debug       bool
	Provider    string
	Sets        []string // key=value
	Secret      string   // the secret's key, with SecretStdin
	SecretStdin bool
	NoBrowser   bool // login --no-browser
	Device      bool // login --device
	// api: the request, and whether to leave the answer as it came
	API model.APIRequest
	Raw bool
	// BodyStdin: api -d @-, the body on stdin, read by ReadBody in the whole program, which sends
	// the request (the lean command hands api to it unread, so stdin still holds the body)
	BodyStdin bool
	// exec: the accounts with the variable each goes in, and the command to run (after --)
	Execs []ExecAccount
	Argv  []string
	data  *string // api -d, read by check
}

// ExecAccount is an account exec puts in the command's environment, and the variable it goes in.
type ExecAccount struct{ Name, Env string }

// ErrHelp means --help was asked for; Parse's Command says for which command.
var ErrHelp = errors.New("flag: help requested")

// ErrUnknownCommand means the command line names no command the lookup knows.
var ErrUnknownCommand = errors.New("unknown command")

// Parse reads a command line, its commands found with lookup (LeanLookup, or the whole program's
// table). Flags may come before or after the arguments; each command takes only its own
// (Spec.Flags). The Command is on the heap, so that no caller has it in its stack frame.
func Parse(args []string, lookup func(name string) (Spec, bool)) (*Command, error) {
	c := &Command{Format: "raw"}
	name, rest := "", args
	for i, a := range args { // the command is the first word that is not a flag
		if !strings.HasPrefix(a, "-") {
			name, rest = a, append(slices.Clone(args[:i]), args[i+1:]...)
			break
		}
	}
	spec, ok := lookup(name)
	if !ok {
		return c, fmt.Errorf("%w %q; see `tokentray help`", ErrUnknownCommand, name)
	}
	c.Spec, c.Name = spec, name
	if name == "exec" { // what follows -- is the command to run, never parsed
		i := slices.Index(rest, "--")
		if i < 0 || i == len(rest)-1 {
			return c, fmt.Errorf("exec needs the command to run after --, as in: tokentray exec NAME -- curl …")
		}
		rest, c.Argv = rest[:i], slices.Clone(rest[i+1:])
	}
	var pos []string
	var fs options
	for _, f := range spec.Flags {
		switch f {
		case "min-valid":
			fs.fn(f, func(s string) error {
				d, err := time.ParseDuration(s)
				if err != nil || d < 0 {
					return fmt.Errorf("--min-valid wants a duration that is not negative, such as 10m, not %q", s)
				}
				c.MinValid, c.MinValidSet = d, true
				return nil
			})
		case "format":
			fs.str(f, &c.Format)
		case "json":
			fs.boolean(f, &c.JSON)
		case "names":
			fs.boolean(f, &c.Names)
		case "debug":
			fs.boolean(f, &c.Debug)
		case "provider":
			fs.str(f, &c.Provider)
		case "set":
			fs.fn(f, func(s string) error {
				if !strings.Contains(s, "=") {
					return fmt.Errorf("--set wants key=value, not %q", s)
				}
				c.Sets = append(c.Sets, s)
				return nil
			})
		case "secret":
			fs.str(f, &c.Secret)
		case "secret-stdin":
			fs.boolean(f, &c.SecretStdin)
		case "no-browser":
			fs.boolean(f, &c.NoBrowser)
		case "device":
			fs.boolean(f, &c.Device)
		case "method":
			fs.str(f, &c.API.Method)
			fs.str("X", &c.API.Method)
		case "header":
			for _, n := range []string{f, "H"} {
				fs.fn(n, func(v string) error {
					if k, _, ok := strings.Cut(v, ":"); !ok || strings.TrimSpace(k) == "" {
						return fmt.Errorf("a header is 'Key: value', not %q", v)
					}
					c.API.Headers = append(c.API.Headers, v)
					return nil
				})
			}
		case "data":
			for _, n := range []string{f, "d"} {
				fs.fn(n, func(v string) error { c.data = &v; return nil })
			}
		case "raw":
			fs.boolean(f, &c.Raw)
		case "env":
			fs.fn(f, func(v string) error { // the variable of the account named just before
				if len(pos) == 0 {
					return fmt.Errorf("--env %s comes after the account it is for, as in: tokentray exec work --env TOKEN -- …", v)
				}
				if err := checkEnvName(v); err != nil {
					return err
				}
				c.Execs[len(c.Execs)-1].Env = v
				return nil
			})
		}
	}
	for {
		var err error
		if rest, err = fs.parse(rest); errors.Is(err, ErrHelp) {
			return c, ErrHelp
		} else if err != nil {
			return c, flagError(spec, err)
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		c.Execs = append(c.Execs, ExecAccount{Name: rest[0]})
		rest = rest[1:]
	}
	if name == "exec" {
		return c, c.checkExec()
	}
	c.Execs = nil
	if err := c.takeArgs(pos); err != nil {
		return c, err
	}
	return c, c.check()
}

// flagError says which flags the command takes when it was given another.
func flagError(spec Spec, err error) error {
	msg := strings.TrimPrefix(err.Error(), "flag provided but not defined: ")
	if msg == err.Error() {
		return err
	}
	if len(spec.Flags) == 0 {
		return fmt.Errorf("%s takes no flags, not %s", spec.Display(), msg)
	}
	return fmt.Errorf("%s takes --%s, not %s", spec.Display(), strings.Join(spec.Flags, ", --"), msg)
}

// Display is how the command is written: "tokentray NAME".
func (spec Spec) Display() string {
	if spec.Name == "" {
		return "tokentray"
	}
	return "tokentray " + spec.Name
}

// takeArgs puts the positional arguments where the command wants them.
func (c *Command) takeArgs(pos []string) error {
	need := 0
	for _, a := range c.Spec.Args {
		if !strings.HasPrefix(a, "[") {
			need++
		}
	}
	switch {
	case len(pos) < need:
		return fmt.Errorf("%s needs %s; see `tokentray help %s`", c.Spec.Display(), strings.Join(c.Spec.Args[len(pos):need], " "), c.Name)
	case len(pos) > len(c.Spec.Args):
		return fmt.Errorf("%s takes %d argument(s), got %q", c.Spec.Display(), len(c.Spec.Args), strings.Join(pos, " "))
	}
	for i, v := range pos {
		switch strings.Trim(c.Spec.Args[i], "[]") {
		case "NAME":
			c.Account = v
		case "USER":
			c.User = v
		case "COMMAND", "KIND", "SHELL":
			c.Topic = v
		case "PATH":
			c.API.Path = v
		}
	}
	return nil
}

// checkExec gives every exec account a variable: TOKENTRAY_TOKEN for one, its own --env for several.
func (c *Command) checkExec() error {
	if len(c.Execs) == 0 {
		return fmt.Errorf("exec needs an account: tokentray exec NAME -- CMD …")
	}
	c.Account = c.Execs[0].Name
	seen := map[string]bool{}
	for i := range c.Execs {
		e := &c.Execs[i]
		if e.Env == "" && len(c.Execs) > 1 {
			return fmt.Errorf("with several accounts each needs its --env VAR: %s has none", e.Name)
		}
		if e.Env == "" {
			e.Env = "TOKENTRAY_TOKEN"
		}
		if seen[e.Env] {
			return fmt.Errorf("two accounts would go in %s: give each its own --env", e.Env)
		}
		seen[e.Env] = true
	}
	return nil
}

func (c *Command) check() error {
	switch c.Format {
	case "raw", "bearer", "header", "json", "env":
	default:
		return fmt.Errorf("--format must be raw, bearer, header, json or env, not %q", c.Format)
	}
	if c.Name == "api" {
		if err := c.readData(); err != nil {
			return err
		}
	}
	if c.Name == "add" && c.Provider == "" {
		return fmt.Errorf("add needs --provider KIND")
	}
	if (c.Secret != "") != c.SecretStdin {
		return fmt.Errorf("--secret KEY and --secret-stdin go together: the secret is read from stdin, never from arguments")
	}
	return nil
}

// ReadBody reads api's body from stdin, for -d @-: once, where the request is sent.
func (c *Command) ReadBody(stdin io.Reader) error {
	if !c.BodyStdin || c.API.Body != nil {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(stdin, ipc.MaxRequest))
	if err != nil {
		return fmt.Errorf("could not read the body from stdin: %w", err)
	}
	c.API.Body = b
	return c.checkBody()
}

// checkBody refuses a body larger than a request may carry in base64 (3 bytes in 4 characters),
// with room for the rest of the request.
func (c *Command) checkBody() error {
	if max := (ipc.MaxRequest - 4096) / 4 * 3; len(c.API.Body) > max {
		return fmt.Errorf("the body is larger than the %d KiB a request may carry", max>>10)
	}
	return nil
}

// readData takes api's -d: the text, or with @FILE that file's bytes (@-: stdin); a body makes the
// default method POST.
func (c *Command) readData() error {
	if c.data != nil {
		switch d := *c.data; {
		case d == "@-":
			c.BodyStdin = true
		case strings.HasPrefix(d, "@"):
			b, err := os.ReadFile(d[1:])
			if err != nil {
				return fmt.Errorf("could not read the body: %w", err)
			}
			c.API.Body = b
		default:
			c.API.Body = []byte(d)
		}
		if err := c.checkBody(); err != nil {
			return err
		}
	}
	switch {
	case c.API.Method == "" && c.data != nil:
		c.API.Method = "POST"
	case c.API.Method == "":
		c.API.Method = "GET"
	}
	c.API.Method = strings.ToUpper(c.API.Method)
	return nil
}
