package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// decodeError turns go-toml's errors into a ConfigError with the line. Two of its errors carry no
// position (a key given twice; settings that are not a table): their line is found in the file.
func decodeError(path string, data []byte, err error) error {
	if strings.Contains(err.Error(), "is already defined") {
		if l := keyLines(data); l.dup > 0 {
			return &ConfigError{path, l.dup, strings.TrimPrefix(err.Error(), "toml: ") + "; give each key once"}
		}
	}
	if strings.Contains(err.Error(), "rawConfig.Settings") {
		return &ConfigError{path, keyLines(data).top["settings"], "settings must be one table, [settings], of keys such as min_valid = \"5m\", not a list"}
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return &ConfigError{path, row, strings.TrimPrefix(de.Error(), "toml: ")}
	}
	var se *toml.StrictMissingError
	if errors.As(err, &se) && len(se.Errors) > 0 {
		row, _ := se.Errors[0].Position()
		return &ConfigError{path, row, fmt.Sprintf("unknown key %s", strings.Join(se.Errors[0].Key(), "."))}
	}
	return &ConfigError{path, 0, err.Error()}
}

// lineIndex maps each account's keys to the line they are on, so semantic errors can name a line.
type lineIndex struct {
	top      map[string]int   // top-level keys and tables
	accounts []map[string]int // per [[accounts]]: "" for its header, "name", "settings.client_id", …
	dup      int              // the line of the first key given twice in its table, if any
}

// line returns the line of key in account i (i < 0: a top-level key), else the account's header line.
func (l lineIndex) line(i int, key string) int {
	if i < 0 {
		return l.top[key]
	}
	if i >= len(l.accounts) {
		return 0
	}
	if n, ok := l.accounts[i][key]; ok {
		return n
	}
	if n, ok := l.accounts[i]["settings"]; ok && strings.HasPrefix(key, "settings.") {
		return n
	}
	return l.accounts[i][""]
}

// keyLines walks the document's expressions with go-toml's parser, which knows every key's position.
// It handles the shapes the accounts file has: [[accounts]] tables with keys, a [accounts.settings]
// table or an inline settings table; other shapes only lose line precision, never correctness.
func keyLines(data []byte) lineIndex {
	l := lineIndex{top: map[string]int{}}
	var p unstable.Parser
	p.Reset(data)
	table := ""
	seen := map[string]bool{} // keys of the current table
	for p.NextExpression() {
		e := p.Expression()
		key, line := nodeKey(&p, e)
		switch e.Kind {
		case unstable.ArrayTable, unstable.Table:
			table, seen = key, map[string]bool{}
			if _, ok := l.top[key]; !ok {
				l.top[key] = line
			}
			switch {
			case key == "accounts" && e.Kind == unstable.ArrayTable:
				l.accounts = append(l.accounts, map[string]int{"": line})
			case key == "accounts.settings" && len(l.accounts) > 0:
				l.accounts[len(l.accounts)-1]["settings"] = line
			}
		case unstable.KeyValue:
			if seen[key] && l.dup == 0 {
				l.dup = line
			}
			seen[key] = true
			switch {
			case table == "":
				l.top[key] = line
			case table == "settings":
				l.top["settings."+key] = line
			case len(l.accounts) > 0 && (table == "accounts" || table == "accounts.settings"):
				if table == "accounts.settings" {
					key = "settings." + key
				}
				l.accounts[len(l.accounts)-1][key] = line
				if key == "settings" { // an inline table: its keys are on this line too
					for it := e.Value().Children(); it.Next(); {
						k, _ := nodeKey(&p, it.Node())
						l.accounts[len(l.accounts)-1]["settings."+k] = line
					}
				}
			}
		}
	}
	return l
}

// nodeKey returns the dotted key of a table or key-value expression and the line it starts on.
func nodeKey(p *unstable.Parser, e *unstable.Node) (string, int) {
	var parts []string
	line := 0
	for it := e.Key(); it.Next(); {
		n := it.Node()
		parts = append(parts, string(n.Data))
		if line == 0 && n.Raw.Length > 0 {
			line = p.Shape(n.Raw).Start.Line
		}
	}
	return strings.Join(parts, "."), line
}
