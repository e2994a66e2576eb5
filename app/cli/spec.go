package cli

import (
	"io"
	"time"

	"tokentray/app/ipc"
)

// Spec is one command of the command line: its row drives the parser, the help, the lean
// command (which asks the running app) and the whole program (which asks the app too, or does the
// job itself), and says how its answer is printed.
type Spec struct {
	Name     string
	Args     []string // positional arguments, e.g. {"NAME", "[USER]"}; a bracketed one is optional
	Flags    []string // the names of the flags it takes (see Flags)
	Summary  string   // one line, for `tokentray help`
	Help     string   // what it does, for `tokentray help NAME`
	Examples []string
	// Op is the request that does the job; "" for a command that never talks to the app.
	Op ipc.Op
	// Lean: the lean `tokentray` answers it through the running app without starting the whole
	// program: the credential, the fast path of scripts, all day. Every other command goes to
	// tokentray-tray, which asks the app as well when it runs; the lean command links no more than
	// the credential's way needs (make bench, TestLeanCommandLinksNoJSON).
	Lean bool
	// Print writes the app's answer to the command (nil: no answer to print, the command is done
	// without the app) and returns the exit code.
	Print Printer
}

// Printer writes the answer r to the command c: the result on stdout, messages on stderr, and
// returns the exit code. Print has already said an error.
type Printer func(c *Command, r *ipc.Response, stdout, stderr io.Writer) int

// WaitFor is how long the command waits for the app's answer.
func (s Spec) WaitFor() time.Duration {
	if t := s.Op.Timeout(); t > 0 {
		return t
	}
	return 90 * time.Second
}

// The commands the lean `tokentray` runs itself (with the app's help): every other command is the
// whole program's (app/cli/commands), whose table holds these rows too.
var (
	Token = Spec{Name: "token", Args: []string{"NAME"}, Flags: []string{"min-valid", "format"}, Op: ipc.OpToken, Lean: true, Print: printToken,
		Summary: "print a fresh credential (an OnSIP account's SessionId)",
		Help: "Prints the account's credential on stdout, renewing it first when needed. Without --min-valid it is valid for " +
			"min_valid (5 minutes), never more than the renewal margin of the provider's lifetime, so a signed-in account always " +
			"has one. With --min-valid longer than the provider's tokens live, it says so and exits 1.",
		Examples: []string{
			`curl -H "$(tokentray token work-avaya --format header)" https://spacesapis.avayacloud.com/api/users/me`,
			`eval "$(tokentray token work --format env)"   # TOKENTRAY_TOKEN, quoted`,
			`tokentray token work --min-valid 30m --format json`,
		}}
	Exec = Spec{Name: "exec", Args: []string{"NAME", "[NAME…]", "--", "CMD", "[ARG…]"}, Flags: []string{"env", "min-valid"}, Op: ipc.OpToken, Lean: true,
		Summary: "run a command with fresh credentials in its environment",
		Help: "Runs CMD with the account's credential (an OnSIP account's SessionId) in TOKENTRAY_TOKEN, or for several " +
			"accounts each in the variable its --env names, and exits with CMD's status (127 when CMD cannot be found). " +
			"The credential is in CMD's environment only, never in its arguments, valid as token's would be.",
		Examples: []string{
			`tokentray exec work-avaya -- sh -c 'curl -H "Authorization: Bearer $TOKENTRAY_TOKEN" https://spacesapis.avayacloud.com/api/users/me'`,
			`tokentray exec work-avaya --env AVAYA net2phone --env N2P -- ./sync.sh`,
		}}
	Version = Spec{Name: "version", Summary: "print the version", Examples: []string{"tokentray version"}}
)

// LeanLookup finds the commands the lean `tokentray` runs itself; the rest are the whole program's.
func LeanLookup(name string) (Spec, bool) {
	for _, s := range []Spec{Token, Exec, Version} {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// Flags is every flag a command may take: its argument's name ("" for a switch) and its help.
var Flags = map[string]struct{ Arg, Help string }{
	"min-valid":    {"DURATION", "the credential must stay valid at least this long, e.g. 10m"},
	"format":       {"FORMAT", "raw (default), bearer, header, json or env"},
	"json":         {"", "print JSON"},
	"names":        {"", "print the names alone, one per line"},
	"debug":        {"", "also log to stderr, at debug level"},
	"provider":     {"KIND", "net2phone, avaya, onsip or oidc"},
	"set":          {"KEY=VALUE", "a setting of the account; repeat for more"},
	"secret":       {"KEY", "the secret setting read from stdin (with --secret-stdin)"},
	"secret-stdin": {"", "read the secret named by --secret from stdin"},
	"no-browser":   {"", "print the sign-in address without opening a browser"},
	"device":       {"", "sign in on another device with a code (RFC 8628)"},
	"env":          {"VAR", "the variable the account before it goes in (default TOKENTRAY_TOKEN)"},
	"method":       {"METHOD", "the HTTP method (-X; default GET, POST with -d)"},
	"header":       {"'KEY: VALUE'", "a request header (-H); repeat for more"},
	"data":         {"DATA|@FILE", "the request body (-d), or a file's (@-: stdin)"},
	"raw":          {"", "print the answer as it came, even on a terminal"},
}
