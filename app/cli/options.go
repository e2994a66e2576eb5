package cli

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// options are the flags a command takes. They are read as package flag reads them, with its
// messages; not with package flag itself, whose maps grow the stack of every `tokentray token`
// past its first 4 KiB, and its start-up (make bench).
type options []option

// option is one flag: a switch (boolean), or one that takes a value.
type option struct {
	name    string
	boolean bool
	set     func(string) error
}

func (o *options) fn(name string, set func(string) error) {
	*o = append(*o, option{name: name, set: set})
}

func (o *options) str(name string, p *string) {
	o.fn(name, func(v string) error { *p = v; return nil })
}

func (o *options) boolean(name string, p *bool) {
	*o = append(*o, option{name: name, boolean: true, set: func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("parse error")
		}
		*p = b
		return nil
	}})
}

// parse reads the flags at the start of args, as flag.FlagSet.Parse does: -x or --x; a value as
// -x=v or -x v; a switch alone or as -x=false; -- ends the flags; -h and --help ask for help
// (ErrHelp). It returns the arguments from the first that is not a flag.
func (o options) parse(args []string) ([]string, error) {
	for len(args) > 0 {
		s := args[0]
		if len(s) < 2 || s[0] != '-' {
			return args, nil
		}
		name := s[1:]
		if s[1] == '-' {
			if len(s) == 2 { // "--" ends the flags
				return args[1:], nil
			}
			name = s[2:]
		}
		if name == "" || name[0] == '-' || name[0] == '=' {
			return args, fmt.Errorf("bad flag syntax: %s", s)
		}
		args = args[1:]
		name, value, hasValue := strings.Cut(name, "=")
		i := slices.IndexFunc(o, func(f option) bool { return f.name == name })
		if i < 0 {
			if name == "help" || name == "h" {
				return args, ErrHelp
			}
			return args, fmt.Errorf("flag provided but not defined: -%s", name)
		}
		f := o[i]
		switch {
		case f.boolean && !hasValue:
			value = "true"
		case f.boolean:
		case !hasValue && len(args) > 0:
			value, args = args[0], args[1:]
		case !hasValue:
			return args, fmt.Errorf("flag needs an argument: -%s", name)
		}
		if err := f.set(value); err != nil {
			if f.boolean {
				return args, fmt.Errorf("invalid boolean value %q for -%s: %v", value, name, err)
			}
			return args, fmt.Errorf("invalid value %q for flag -%s: %v", value, name, err)
		}
	}
	return args, nil
}
