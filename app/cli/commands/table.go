// Package commands is the whole program's command line: every command's row (its arguments,
// flags, help, the request it sends and how its answer is printed), the help and usage, the shell
// completion, the man page and the provider kinds' listing. The lean command knows only its own
// rows (cli.Token, cli.Exec, cli.Version), which this table holds too.
package commands

import (
	"tokentray/app/cli"
	"tokentray/app/ipc"
)

// Commands is every command, in the order `tokentray help` lists them.
var Commands = []cli.Spec{
	cli.Token,
	cli.Exec,
	{Name: "api", Args: []string{"NAME", "PATH"}, Flags: []string{"method", "header", "data", "raw"}, Op: ipc.OpAPI, Print: printAPI,
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
	{Name: "inspect", Args: []string{"NAME"}, Flags: []string{"json"}, Op: ipc.OpInspect, Print: printInspect,
		Summary: "tell what the credential says, without showing it",
		Help: "For a JWT, its header and claims (issuer, subject, audience, scopes, when it was issued and expires) and whether " +
			"its signature holds against the keys the provider publishes; for an opaque token, what the provider said of it; " +
			"and where the provider has an introspection endpoint (RFC 7662), its answer. Never the token or the refresh token.",
		Examples: []string{"tokentray inspect work-sso", "tokentray inspect work-sso --json | jq .claims.aud"}},
	{Name: "audit", Args: []string{"[NAME]"}, Flags: []string{"json"}, Op: ipc.OpAudit, Print: printAudit,
		Summary: "show which process took which credential, when",
		Help: "Prints the record of hand-outs, newest first: each time a credential left Tokentray (a copy from the tray or " +
			"the window, token, exec, api), when, how, the process that asked (its pid and program, and the program that ran it) " +
			"and a fingerprint of the credential (never the credential). Kept beside the log, mode 0600, at most 1 MB.",
		Examples: []string{"tokentray audit", "tokentray audit work-avaya --json | jq -r '.[].program'"}},
	{Name: "list", Flags: []string{"json", "names"}, Op: ipc.OpList, Print: printList,
		Summary:  "list the accounts and their state",
		Help:     "Lists every account: its provider, state, when its credential expires, and who is signed in.",
		Examples: []string{"tokentray list", "tokentray list --json | jq -r '.[].name'"}},
	{Name: "status", Args: []string{"NAME"}, Op: ipc.OpStatus, Print: printStatuses,
		Summary:  "show one account",
		Help:     "Shows one account in full: its id, state, expiry, the end of its sign-in, who is signed in, and the last problem.",
		Examples: []string{"tokentray status work-avaya"}},
	{Name: "login", Args: []string{"NAME"}, Flags: []string{"no-browser", "device"}, Op: ipc.OpLogin, Print: printLogin,
		Summary: "sign in through the browser; waits and reports",
		Help: "Prints the provider's sign-in address, opens it in the browser (unless --no-browser) and waits (5 minutes at most) " +
			"until you have signed in there. The browser must run on this computer: the provider sends it back to Tokentray " +
			"on 127.0.0.1. With --device (OpenID Connect issuers that offer it, RFC 8628) it prints a code and an address to open on " +
			"any device instead: for a machine reached over SSH. A client-credentials account signs in without a browser.",
		Examples: []string{"tokentray login work-avaya", "tokentray login work-avaya --no-browser   # open the address yourself, e.g. in another profile",
			"tokentray login work-sso --device   # over SSH: enter the code on your phone or laptop"}},
	{Name: "logout", Args: []string{"NAME"}, Op: ipc.OpLogout, Print: printLogout,
		Summary:  "sign out: revoke where possible, forget the tokens",
		Help:     "Revokes the sign-in at the provider where it can, and deletes the account's tokens from the keyring. The account and its client secret stay.",
		Examples: []string{"tokentray logout work-avaya"}},
	{Name: "act-as", Args: []string{"NAME", "[USER]"}, Op: ipc.OpActAs, Print: printUsers,
		Summary: "list or choose the OnSIP user an OnSIP account acts as",
		Help: "An OnSIP sign-in whose e-mail has several OnSIP users acts as one of them. Without USER, lists them (the current one " +
			"marked); with USER (an id, or a unique beginning of a name or e-mail), switches to that user, a choice kept across new sessions.",
		Examples: []string{"tokentray act-as phones", "tokentray act-as phones 666666"}},
	{Name: "add", Args: []string{"NAME"}, Flags: []string{"provider", "set", "secret", "secret-stdin"}, Op: ipc.OpAdd, Print: printAdd,
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
	{Name: "remove", Args: []string{"NAME"}, Op: ipc.OpRemove, Print: printRemove,
		Summary:  "remove an account and all its secrets",
		Help:     "Signs the account out (revoking where possible), deletes every secret it has from the keyring, and drops it from the accounts file.",
		Examples: []string{"tokentray remove work-avaya"}},
	{Name: "quit", Op: ipc.OpQuit, Print: printQuit,
		Summary: "quit the running app, its tray item and window",
		Help: "Asks the running app to end and waits (10 seconds at most) until its process has, so that its programs may " +
			"be replaced next (the Windows installer runs it before an upgrade or an uninstall). Without a running app it " +
			"says so and exits 0.",
		Examples: []string{"tokentray quit"}},
	{Name: "completion", Args: []string{"SHELL"},
		Summary: "print the shell completion script for bash, zsh or fish",
		Help: "Prints a script that completes commands, flags, formats, provider kinds, setting keys and account names " +
			"(asked of the running app, or read from the accounts file). Packages install it where each shell looks.",
		Examples: []string{"source <(tokentray completion bash)", "tokentray completion fish > ~/.config/fish/completions/tokentray.fish"}},
	cli.Version,
	{Name: "help", Args: []string{"[COMMAND]"}, Summary: "tell about every command, or one",
		Examples: []string{"tokentray help", "tokentray help token"}},
	{Name: "demo", Flags: []string{"debug"},
		Summary:  "try everything with built-in demo providers: no vendor account needed",
		Help:     "Starts Tokentray with four demo accounts backed by fake providers on this machine, in a config and keyring of their own, removed when the demo ends.",
		Examples: []string{"tokentray demo"}},
}

// tray is the command with no name: start the tray app (a second one brings the first one's
// window forward instead).
var tray = cli.Spec{Name: "", Flags: []string{"debug"}, Summary: "start the tray app (or bring the running one forward)"}

// Lookup returns the command called name ("" is the tray).
func Lookup(name string) (cli.Spec, bool) {
	if name == "" {
		return tray, true
	}
	for _, s := range Commands {
		if s.Name == name {
			return s, true
		}
	}
	return cli.Spec{}, false
}

// Parse reads a command line of the whole program.
func Parse(args []string) (*cli.Command, error) { return cli.Parse(args, Lookup) }
