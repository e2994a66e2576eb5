package commands

import (
	"fmt"
	"strings"

	"tokentray/auth/kinds"
)

// Providers is `tokentray providers`: every provider kind, or with kind, that kind's settings
// with their help and defaults (also shown by `add --provider KIND --help`).
func Providers(kind string) (string, error) {
	var b strings.Builder
	if kind == "" {
		b.WriteString("Provider kinds (`tokentray providers KIND` lists one's settings):\n")
		for _, n := range kinds.Names() {
			k, _ := kinds.Lookup(n)
			fmt.Fprintf(&b, "  %-10s %s\n", k.Name, k.Title)
		}
		return b.String(), nil
	}
	k, ok := kinds.Lookup(kind)
	if !ok {
		return "", fmt.Errorf("no provider kind %q; the kinds are %s", kind, strings.Join(kinds.Names(), ", "))
	}
	fmt.Fprintf(&b, "Settings of %s (--provider %s), given with --set KEY=VALUE:\n", k.Title, k.Name)
	for _, f := range k.Fields {
		var notes []string
		switch {
		case f.Secret:
			notes = append(notes, "secret: give it with --secret "+f.Key+" --secret-stdin")
		case f.Required:
			notes = append(notes, "required")
		}
		if f.Default != "" {
			notes = append(notes, "default "+f.Default)
		}
		if len(f.Choices) > 0 {
			notes = append(notes, "one of "+strings.Join(f.Choices, ", "))
		}
		if f.When != nil {
			notes = append(notes, "when "+f.When.Key+" is "+strings.Join(f.When.Values, " or "))
		}
		if f.Advanced {
			notes = append(notes, "rarely changed")
		}
		fmt.Fprintf(&b, "\n  %s", f.Key)
		if len(notes) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(notes, "; "))
		}
		fmt.Fprintf(&b, "\n%s\n", indent(wrapText(f.Help, 90), "      "))
	}
	return b.String(), nil
}

func indent(s, by string) string {
	return by + strings.ReplaceAll(s, "\n", "\n"+by)
}
