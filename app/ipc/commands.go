package ipc

import (
	"time"
)

// Spec is one command of the command line: one row of Commands drives the parser, the help, the
// lean command (which asks the running app) and the offline runner (which does the job itself).
type Spec struct {
	Name     string
	Args     []string // positional arguments, e.g. {"NAME", "[USER]"}; a bracketed one is optional
	Flags    []string // the names of the flags it takes (see flags)
	Summary  string   // one line, for `tokentray help`
	Help     string   // what it does, for `tokentray help NAME`
	Examples []string
	// Op is the socket request that does the job; "" for a command that never talks to the app.
	Op string
	// Timeout bounds the wait for the app's answer; default 90 s.
	Timeout time.Duration
	// Lean: the lean `tokentray` answers it through the running app without starting the whole
	// program: the credential, the fast path of scripts, all day. Every other command goes to
	// tokentray-tray, which asks the app as well when it runs; the lean command links no more than
	// the credential's way needs (make bench, TestLeanCommandLinksNoJSON).
	Lean bool
}

// Commands is every command, in the order `tokentray help` lists them.
var Commands = []Spec{
	{Name: "token", Args: []string{"NAME"}, Flags: []string{"min-valid", "format"}, Op: "token", Lean: true,
		Summary: "print a fresh credential (an OnSIP account's SessionId)",
		Help: "Prints the account's credential on stdout, renewing it first when needed. Without --min-valid it is valid for " +
			"min_valid (5 minutes), never more than the renewal margin of the provider's lifetime, so a signed-in account always " +
			"has one. With --min-valid longer than the provider's tokens live, it says so and exits 1.",
		Examples: []string{
			`curl -H "$(tokentray token work-avaya --format header)" https://spacesapis.avayacloud.com/api/users/me`,
			`eval "$(tokentray token work --format env)"   # TOKENTRAY_TOKEN, quoted`,
			`tokentray token work --min-valid 30m --format json`,
		}},
	{Name: "exec", Args: []string{"NAME", "[NAME…]", "--", "CMD", "[ARG…]"}, Flags: []string{"env", "min-valid"}, Op: "token", Lean: true,
		Summary: "run a command with fresh credentials in its environment",
		Help: "Runs CMD with the account's credential (an OnSIP account's SessionId) in TOKENTRAY_TOKEN, or for several " +
			"accounts each in the variable its --env names, and exits with CMD's status (127 when CMD cannot be found). " +
			"The credential is in CMD's environment only, never in its arguments, valid as token's would be.",
		Examples: []string{
			`tokentray exec work-avaya -- sh -c 'curl -H "Authorization: Bearer $TOKENTRAY_TOKEN" https://spacesapis.avayacloud.com/api/users/me'`,
			`tokentray exec work-avaya --env AVAYA net2phone --env N2P -- ./sync.sh`,
		}},
	{Name: "api", Args: []string{"NAME", "PATH"}, Flags: []string{"method", "header", "data", "raw"}, Op: "api",
		Summary: "call the provider's API with a fresh credential, as gh api does",
		Help: "Sends the request to the account's API: Avaya's Spaces API, Net2Phone Canada's API (with its versioned Accept), " +
			"an OpenID issuer (PATH userinfo is its userinfo endpoint), or OnSIP's admin API (PATH is the Action; -d gives the " +
			"other parameters, the SessionId is added). On a 401 the credential is renewed once and the request sent again. " +
			"The body goes to stdout, JSON pretty-printed on a terminal and untouched otherwise; exit 0 for a 2xx answer, " +
			"1 for any other, with the status on stderr.",
		Examples: []string{
			"tokentray api work-avaya /api/users/me",
			"tokentray api office /api/users/current/",
			"tokentray api work-sso userinfo",
			"tokentray api phones UserRead",
			`tokentray api work-avaya /api/spaces -X POST -d @space.json -H 'X-Request-Id: 42'`,
		}},
	{Name: "inspect", Args: []string{"NAME"}, Flags: []string{"json"}, Op: "inspect",
		Summary: "tell what the credential says, without showing it",
		Help: "For a JWT, its header and claims (issuer, subject, audience, scopes, when it was issued and expires) and whether " +
			"its signature holds against the keys the provider publishes; for an opaque token, what the provider said of it; " +
			"and where the provider has an introspection endpoint (RFC 7662), its answer. Never the token or the refresh token.",
		Examples: []string{"tokentray inspect work-sso", "tokentray inspect work-sso --json | jq .claims.aud"}},
	{Name: "audit", Args: []string{"[NAME]"}, Flags: []string{"json"}, Op: "audit",
		Summary: "show which process took which credential, when",
		Help: "Prints the record of hand-outs, newest first: each time a credential left Tokentray (a copy from the tray or " +
			"the window, token, exec, api), when, how, the process that asked (its pid and program, and the program that ran it) " +
			"and a fingerprint of the credential (never the credential). Kept beside the log, mode 0600, at most 1 MB.",
		Examples: []string{"tokentray audit", "tokentray audit work-avaya --json | jq -r '.[].program'"}},
	{Name: "list", Flags: []string{"json", "names"}, Op: "list",
		Summary:  "list the accounts and their state",
		Help:     "Lists every account: its provider, state, when its credential expires, and who is signed in.",
		Examples: []string{"tokentray list", "tokentray list --json | jq -r '.[].name'"}},
	{Name: "status", Args: []string{"NAME"}, Op: "status",
		Summary:  "show one account",
		Help:     "Shows one account in full: its id, state, expiry, the end of its sign-in, who is signed in, and the last problem.",
		Examples: []string{"tokentray status work-avaya"}},
	{Name: "login", Args: []string{"NAME"}, Flags: []string{"no-browser", "device"}, Op: "login", Timeout: 6 * time.Minute,
		Summary: "sign in through the browser; waits and reports",
		Help: "Prints the provider's sign-in address, opens it in the browser (unless --no-browser) and waits (5 minutes at most) " +
			"until you have signed in there. The browser must run on this computer: the provider sends it back to Tokentray " +
			"on 127.0.0.1. With --device (OpenID Connect issuers that offer it, RFC 8628) it prints a code and an address to open on " +
			"any device instead: for a machine reached over SSH. A client-credentials account signs in without a browser.",
		Examples: []string{"tokentray login work-avaya", "tokentray login work-avaya --no-browser   # open the address yourself, e.g. in another profile",
			"tokentray login work-sso --device   # over SSH: enter the code on your phone or laptop"}},
	{Name: "logout", Args: []string{"NAME"}, Op: "logout",
		Summary:  "sign out: revoke where possible, forget the tokens",
		Help:     "Revokes the sign-in at the provider where it can, and deletes the account's tokens from the keyring. The account and its client secret stay.",
		Examples: []string{"tokentray logout work-avaya"}},
	{Name: "act-as", Args: []string{"NAME", "[USER]"}, Op: "act-as",
		Summary: "list or choose the OnSIP user an OnSIP account acts as",
		Help: "An OnSIP sign-in whose e-mail has several OnSIP users acts as one of them. Without USER, lists them (the current one " +
			"marked); with USER (an id, or a unique beginning of a name or e-mail), switches to that user, a choice kept across new sessions.",
		Examples: []string{"tokentray act-as phones", "tokentray act-as phones 666666"}},
	{Name: "add", Args: []string{"NAME"}, Flags: []string{"provider", "set", "secret", "secret-stdin"}, Op: "add",
		Summary: "add an account (secrets are read from stdin, never from arguments)",
		Help: "Adds an account of a provider kind (net2phone, avaya, onsip, oidc) with --set key=value for its settings. A secret " +
			"(client_secret, password) is read from stdin with --secret KEY --secret-stdin and goes straight to the keyring.",
		Examples: []string{
			`pass show avaya/secret | tokentray add work-avaya --provider avaya --set client_id=6702b20d233fdebcf743 --secret client_secret --secret-stdin`,
			`tokentray add work-sso --provider oidc --set issuer=https://sso.example.com --set client_id=tokentray`,
		}},
	{Name: "providers", Args: []string{"[KIND]"},
		Summary:  "list the provider kinds, or one kind's settings",
		Help:     "Without KIND, lists the provider kinds add takes; with KIND, every setting of that kind with its help, default and whether it is required or secret. `tokentray add --provider KIND --help` shows the same.",
		Examples: []string{"tokentray providers", "tokentray providers oidc"}},
	{Name: "remove", Args: []string{"NAME"}, Op: "remove",
		Summary:  "remove an account and all its secrets",
		Help:     "Signs the account out (revoking where possible), deletes every secret it has from the keyring, and drops it from the accounts file.",
		Examples: []string{"tokentray remove work-avaya"}},
	{Name: "completion", Args: []string{"SHELL"},
		Summary: "print the shell completion script for bash, zsh or fish",
		Help: "Prints a script that completes commands, flags, formats, provider kinds, setting keys and account names " +
			"(asked of the running app, or read from the accounts file). Packages install it where each shell looks.",
		Examples: []string{"source <(tokentray completion bash)", "tokentray completion fish > ~/.config/fish/completions/tokentray.fish"}},
	{Name: "version", Summary: "print the version", Examples: []string{"tokentray version"}},
	{Name: "help", Args: []string{"[COMMAND]"}, Summary: "tell about every command, or one",
		Examples: []string{"tokentray help", "tokentray help token"}},
	{Name: "demo", Flags: []string{"debug"},
		Summary:  "try everything with built-in demo providers: no vendor account needed",
		Help:     "Starts Tokentray with four demo accounts backed by fake providers on this machine, in a config and keyring of their own, removed when the demo ends.",
		Examples: []string{"tokentray demo"}},
}

// tray is the command with no name: start the tray app (a second one brings the first one's
// window forward instead).
var tray = Spec{Name: "", Flags: []string{"debug"}, Summary: "start the tray app (or bring the running one forward)"}

// flags is every flag a command may take: its argument's name ("" for a switch) and its help.
var flags = map[string]struct{ arg, help string }{
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

// Lookup returns the command called name ("" is the tray).
func Lookup(name string) (Spec, bool) {
	if name == "" {
		return tray, true
	}
	for _, s := range Commands {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// OpTimeout is how long the app lets a socket request run: a command's as its row says (the
// command waits as long), a subscription as long as the subscriber stays, anything else a minute.
func OpTimeout(op string) time.Duration {
	if op == "subscribe" {
		return 0
	}
	for _, s := range Commands {
		if s.Op == op {
			return s.WaitFor()
		}
	}
	return time.Minute
}

// WaitFor is how long a command waits for the app's answer.
func (s Spec) WaitFor() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 90 * time.Second
}
