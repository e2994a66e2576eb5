package commands

import (
	"fmt"
	"slices"
	"strings"

	"tokentray/app/cli"
	"tokentray/auth/kinds"
)

// Completion is `tokentray completion SHELL`: a script for bash, zsh or fish that completes the
// commands, their flags, --format's formats, provider kinds, setting keys (the chosen provider's)
// and account names, which it asks `tokentray list --names` for (the running app, or the
// accounts file without it). Everything but the names comes from the command table and the
// provider kinds, so a new command or setting completes without editing the scripts.
func Completion(shell string) (string, error) {
	switch shell {
	case "bash":
		return bashCompletion(), nil
	case "zsh": // zsh runs bash's completion function through bashcompinit
		return "#compdef tokentray\n# zsh completion for tokentray: source it, or put it in a folder of $fpath as _tokentray.\n" +
			"autoload -U +X bashcompinit && bashcompinit\n" + bashCompletion(), nil
	case "fish":
		return fishCompletion(), nil
	}
	return "", fmt.Errorf("completion is for bash, zsh or fish, not %q", shell)
}

// takesAccount reports whether s's first argument is an account name.
func takesAccount(s cli.Spec) bool { return len(s.Args) > 0 && strings.Trim(s.Args[0], "[]") == "NAME" }

// values are the fixed choices of a flag's argument, "" when it has none to offer.
func values(flag string) string {
	switch flag {
	case "format":
		return "raw bearer header json env"
	case "provider":
		return strings.Join(kinds.Names(), " ")
	case "min-valid":
		return "1m 5m 10m 30m 1h"
	}
	return ""
}

// settingKeys are the settings of kind, or of every kind when it is unknown, and the secrets
// among them.
func settingKeys(kind string) (keys, secrets []string) {
	for _, n := range kinds.Names() {
		k, _ := kinds.Lookup(n)
		if kind != "" && n != kind {
			continue
		}
		for _, f := range k.Fields {
			list := &keys
			if f.Secret {
				list = &secrets
			}
			if !slices.Contains(*list, f.Key) {
				*list = append(*list, f.Key)
			}
		}
	}
	return keys, secrets
}

func commandNames() []string {
	var names []string
	for _, s := range Commands {
		names = append(names, s.Name)
	}
	return names
}

func bashCompletion() string {
	var b strings.Builder
	var argFlags []string // the flags whose next word is their value, not the command
	for f, d := range cli.Flags {
		if d.Arg != "" {
			argFlags = append(argFlags, f)
		}
	}
	slices.Sort(argFlags)
	b.WriteString(`# bash completion for tokentray: source it, or put it in /usr/share/bash-completion/completions/tokentray.
_tokentray_names() { # account names, one per line, quoted for the command line
	local IFS=$'\n' n
	for n in $(tokentray list --names 2>/dev/null); do
		[[ $n == "$1"* ]] && printf '%q\n' "$n"
	done
}
_tokentray() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" provider="" i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--provider) provider=${COMP_WORDS[i+1]} ;;
		--provider=*) provider=${COMP_WORDS[i]#--provider=} ;;
		-*) ;;
		*) [[ -z $cmd && ! ${COMP_WORDS[i-1]} =~ ^--(ARGFLAGS)$ ]] && cmd=${COMP_WORDS[i]} ;;
		esac
	done
	case $prev in
`)
	b2 := strings.Replace(b.String(), "ARGFLAGS", strings.Join(argFlags, "|"), 1)
	b.Reset()
	b.WriteString(b2)
	for _, f := range []string{"format", "provider", "min-valid"} {
		fmt.Fprintf(&b, "\t--%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", f, values(f))
	}
	b.WriteString("\t--set)\n\t\tlocal keys\n\t\tcase $provider in\n")
	for _, n := range kinds.Names() {
		keys, _ := settingKeys(n)
		fmt.Fprintf(&b, "\t\t%s) keys=%q ;;\n", n, strings.Join(keys, " "))
	}
	all, secrets := settingKeys("")
	fmt.Fprintf(&b, "\t\t*) keys=%q ;;\n\t\tesac\n", strings.Join(all, " "))
	b.WriteString("\t\tcompopt -o nospace 2>/dev/null\n\t\tCOMPREPLY=($(compgen -W \"$keys\" -S = -- \"$cur\")); return ;;\n")
	fmt.Fprintf(&b, "\t--secret) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", strings.Join(secrets, " "))
	b.WriteString("\t--env) return ;;\n\tesac\n")
	fmt.Fprintf(&b, "\tif [[ -z $cmd ]]; then\n\t\tCOMPREPLY=($(compgen -W %q -- \"$cur\")); return\n\tfi\n",
		strings.Join(commandNames(), " ")+" --help --debug")
	b.WriteString("\tif [[ $cur == -* ]]; then\n\t\tcase $cmd in\n")
	for _, s := range Commands {
		var fl []string
		for _, f := range s.Flags {
			fl = append(fl, "--"+f)
		}
		fmt.Fprintf(&b, "\t\t%s) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", s.Name, strings.Join(append(fl, "--help"), " "))
	}
	b.WriteString("\t\tesac\n\t\treturn\n\tfi\n\tcase $cmd in\n")
	var accountCmds []string
	for _, s := range Commands {
		if takesAccount(s) {
			accountCmds = append(accountCmds, s.Name)
		}
	}
	fmt.Fprintf(&b, "\thelp) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", strings.Join(commandNames(), " "))
	fmt.Fprintf(&b, "\tproviders) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", strings.Join(kinds.Names(), " "))
	b.WriteString("\tcompletion) COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\")) ;;\n")
	b.WriteString("\tadd) ;; # a new account's name is the person's to choose\n")
	b.WriteString("\texec) # accounts until --, then the command's own completion\n" +
		"\t\tfor ((i = 1; i < COMP_CWORD; i++)); do [[ ${COMP_WORDS[i]} == -- ]] && { COMPREPLY=($(compgen -c -- \"$cur\")); return; }; done\n" +
		"\t\tlocal IFS=$'\\n'; COMPREPLY=($(_tokentray_names \"$cur\")) ;;\n")
	fmt.Fprintf(&b, "\t%s)\n\t\tlocal IFS=$'\\n'; COMPREPLY=($(_tokentray_names \"$cur\")) ;;\n", strings.Join(slices.DeleteFunc(accountCmds, func(n string) bool { return n == "add" || n == "exec" }), "|"))
	b.WriteString("\tesac\n}\ncomplete -F _tokentray tokentray\n")
	return b.String()
}

func fishCompletion() string {
	var b strings.Builder
	b.WriteString("# fish completion for tokentray: put it in ~/.config/fish/completions/tokentray.fish.\n")
	b.WriteString("complete -c tokentray -f\n")
	for _, s := range Commands {
		fmt.Fprintf(&b, "complete -c tokentray -n __fish_use_subcommand -a %s -d %s\n", s.Name, fishQuote(s.Summary))
		for _, f := range s.Flags {
			d := cli.Flags[f]
			line := fmt.Sprintf("complete -c tokentray -n '__fish_seen_subcommand_from %s' -l %s -d %s", s.Name, f, fishQuote(d.Help))
			switch {
			case values(f) != "":
				line += " -xa " + fishQuote(values(f))
			case f == "set":
				keys, _ := settingKeys("")
				line += " -xa " + fishQuote(strings.Join(keys, "= ")+"=")
			case f == "secret":
				_, secrets := settingKeys("")
				line += " -xa " + fishQuote(strings.Join(secrets, " "))
			case d.Arg != "":
				line += " -x"
			}
			b.WriteString(line + "\n")
		}
		switch {
		case s.Name == "help":
			fmt.Fprintf(&b, "complete -c tokentray -n '__fish_seen_subcommand_from help' -xa %s\n", fishQuote(strings.Join(commandNames(), " ")))
		case s.Name == "providers":
			fmt.Fprintf(&b, "complete -c tokentray -n '__fish_seen_subcommand_from providers' -xa %s\n", fishQuote(strings.Join(kinds.Names(), " ")))
		case s.Name == "completion":
			b.WriteString("complete -c tokentray -n '__fish_seen_subcommand_from completion' -xa 'bash zsh fish'\n")
		case takesAccount(s) && s.Name != "add":
			fmt.Fprintf(&b, "complete -c tokentray -n '__fish_seen_subcommand_from %s' -xa '(tokentray list --names 2>/dev/null)'\n", s.Name)
		}
	}
	return b.String()
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}
