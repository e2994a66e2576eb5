// Command tokentray keeps API credentials fresh from the system tray, and prints one for scripts.
// See `tokentray help` and README.md.
//
// It is built three times from this package. Built with -tags cli it is the lean `tokentray`
// command: the commands the running app answers (ipc.Spec.Lean) go through its socket, importing
// neither a GUI toolkit nor the OAuth code, so `tokentray token` starts about as fast as any
// small Go program; everything else is handed to tokentray-tray beside it. The default build is
// tokentray-tray: the always-on app (core, tray item, socket) and every command without the app.
// Built with -tags window it is tokentray-window, the accounts window, a Fyne app that the
// always-on app starts while the window is open.
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
)

//go:embed FyneApp.toml
var fyneAppTOML []byte

// details reads a key of FyneApp.toml's [Details], the one source of the app's ID, name and version.
// A line scan, not a TOML parser: the lean build stays small, and tests check the two agree.
func details(key string) string {
	in := false
	sc := bufio.NewScanner(bytes.NewReader(fyneAppTOML))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			in = line == "[Details]"
			continue
		}
		if k, v, ok := strings.Cut(line, "="); in && ok && strings.TrimSpace(k) == key {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return ""
}
