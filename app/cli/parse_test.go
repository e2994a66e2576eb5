package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
)

// FuzzOptionsReadAsPackageFlag checks the command line's own flag reader against package flag:
// the same values, the same arguments left, the same error, for any command line.
func FuzzOptionsReadAsPackageFlag(f *testing.F) {
	for _, seed := range []string{
		"token work", "--format header work", "work --format=env", "-json", "--json=false x", "--json=maybe",
		"--min-valid 10m", "--min-valid=bad", "--min-valid", "-- --json", "---x", "-=x", "--=", "-", "--", "-h",
		"--help", "-help=1", "--nope", "-format", "--format= a b", "x -json y", "-json=1 -json=F --format -json",
	} {
		f.Add(strings.ReplaceAll(seed, " ", "\x00"))
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		type values struct {
			JSON          bool
			Format, Valid string
		}
		checkValid := func(p *string) func(string) error {
			return func(v string) error {
				if v == "bad" {
					return errors.New("wants a duration")
				}
				*p = v
				return nil
			}
		}
		var ours values
		var o options
		o.boolean("json", &ours.JSON)
		o.str("format", &ours.Format)
		o.fn("min-valid", checkValid(&ours.Valid))
		rest, err := o.parse(args)

		var theirs values
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.BoolVar(&theirs.JSON, "json", false, "")
		fs.StringVar(&theirs.Format, "format", "", "")
		fs.Func("min-valid", "", checkValid(&theirs.Valid))
		ferr := fs.Parse(args)

		if fmt.Sprint(err) != fmt.Sprint(ferr) || errors.Is(err, ErrHelp) != errors.Is(ferr, flag.ErrHelp) {
			t.Fatalf("%q: error %v, package flag's %v", args, err, ferr)
		}
		if err == nil && (ours != theirs || strings.Join(rest, "\x00") != strings.Join(fs.Args(), "\x00")) {
			t.Fatalf("%q: %+v, left %q; package flag: %+v, left %q", args, ours, rest, theirs, fs.Args())
		}
	})
}

// exec --env takes a variable name, and never one that a loader, a shell or an interpreter reads as
// code or as where to find it: a credential there (the provider's text) would choose what runs.
func TestExecRefusesVariablesThatSteerWhatRuns(t *testing.T) {
	for _, name := range []string{"LD_PRELOAD", "LD_LIBRARY_PATH", "ld_audit", "DYLD_INSERT_LIBRARIES", "PATH", "BASH_ENV",
		"ENV", "IFS", "PS4", "PROMPT_COMMAND", "BASH_FUNC_x%%", "NODE_OPTIONS", "PYTHONPATH", "PERL5OPT", "GCONV_PATH"} {
		if _, err := Parse([]string{"exec", "work", "--env", name, "--", "true"}, LeanLookup); err == nil {
			t.Errorf("exec --env %s was accepted", name)
		}
	}
	for _, name := range []string{"TOKEN", "API_TOKEN", "GITHUB_TOKEN", "MY_LD_VAR", "PATHNAME"} {
		if _, err := Parse([]string{"exec", "work", "--env", name, "--", "true"}, LeanLookup); err != nil {
			t.Errorf("exec --env %s: %v", name, err)
		}
	}
}
