package commands

import (
	"fmt"
	"strings"

	"tokentray/app/cli"
)

// Manual is tokentray(1), in roff, from the command table: every command's synopsis, what it
// does, its flags and examples, then the exit codes and the files.
func Manual(version, date string) string {
	var b strings.Builder
	esc := func(s string) string { // roff: a leading dot or quote, and backslashes, are special
		s = strings.ReplaceAll(s, `\`, `\e`)
		s = strings.ReplaceAll(s, "-", `\-`)
		if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
			s = `\&` + s
		}
		return s
	}
	fmt.Fprintf(&b, ".TH TOKENTRAY 1 %q \"Tokentray %s\" \"User Commands\"\n", date, version)
	b.WriteString(".SH NAME\ntokentray \\- keeps API credentials fresh, in the system tray and for scripts\n")
	b.WriteString(".SH SYNOPSIS\n")
	for _, s := range append([]cli.Spec{tray}, Commands...) {
		fmt.Fprintf(&b, ".B %s\n.br\n", esc(synopsis(s)))
	}
	b.WriteString(".SH DESCRIPTION\n" + esc("Tokentray signs in once per account (OnSIP, Net2Phone Canada, Avaya Spaces, any OpenID Connect "+
		"issuer) through the system browser, keeps each credential fresh in the background, copies one from the tray in one "+
		"click, and hands one to scripts. With the tray app running, commands ask it through a socket only this user can "+
		"reach; without it, they do the job themselves, with the same answers and exit codes. Secrets are kept in the "+
		"system keyring.") + "\n")
	b.WriteString(".PP\n" + esc("NAME is an account's name (any case), its id, or a beginning of the name or of a word in it "+
		"that only one account has.") + "\n")
	b.WriteString(".SH COMMANDS\n")
	for _, s := range Commands {
		fmt.Fprintf(&b, ".SS %s\n%s\n", esc(synopsis(s)), esc(s.Summary+"."))
		if s.Help != "" {
			fmt.Fprintf(&b, ".PP\n%s\n", esc(s.Help))
		}
		for _, f := range s.Flags {
			d := cli.Flags[f]
			fmt.Fprintf(&b, ".TP\n.B \\-\\-%s\n%s\n", esc(strings.TrimSpace(f+" "+d.Arg)), esc(d.Help))
		}
		if len(s.Examples) > 0 {
			b.WriteString(".PP\nExamples:\n.RS\n.nf\n")
			for _, e := range s.Examples {
				b.WriteString(esc(e) + "\n")
			}
			b.WriteString(".fi\n.RE\n")
		}
	}
	b.WriteString(`.SH EXIT STATUS
.TP
.B 0
ok
.TP
.B 1
any other failure
.TP
.B 2
usage: a bad command, flag or value
.TP
.B 3
sign\-in required, or not signed in
.TP
.B 4
no such account (the candidates are listed)
.TP
.B 127
exec: the command cannot be found; otherwise exec exits with the command's status
.SH FILES
.TP
.I ~/.config/tokentray/accounts.toml
the accounts, without secrets
.TP
.I ~/.local/state/tokentray/tokentray.log
the log, redacted
.TP
.I ~/.local/state/tokentray/audit.jsonl
the record of hand\-outs
.TP
.I /run/user/UID/tokentray/tokentray.sock
the app's socket (or ~/.local/state/tokentray/run/)
.SH SEE ALSO
.BR oidc\-agent (1)
`)
	return b.String()
}
