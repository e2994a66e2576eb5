// Command tokentray keeps API credentials fresh from the system tray, and prints one for scripts.
// See `tokentray --help` and README.md.
//
// It is built twice from this package. The default build is the whole program (the tray app and
// every command). Built with -tags cli it is the lean `tokentray` command: it answers token, list,
// status, login and logout through the running app's socket, importing neither Fyne nor the OAuth
// code, so `tokentray token` starts about as fast as any small Go program; for anything else, or
// when the app is not running, it hands over to the whole program, tokentray-tray, beside it.
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"tokentray/app/ipc"
)

//go:embed FyneApp.toml
var fyneAppTOML []byte

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd, err := ipc.Parse(args)
	switch {
	case errors.Is(err, ipc.ErrHelp):
		fmt.Fprint(stdout, ipc.Usage)
		return ipc.ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "tokentray: %v\n\n%s", err, ipc.Usage)
		return ipc.ExitUsage
	}
	switch cmd.Name {
	case "version":
		fmt.Fprintf(stdout, "tokentray %s\n", details("Version"))
		return ipc.ExitOK
	case "token", "list", "status", "login", "logout":
		if os.Getenv("TOKENTRAY_OFFLINE") == "1" {
			break
		}
		timeout := 90 * time.Second
		if cmd.Name == "login" {
			timeout = 6 * time.Minute
		}
		resp, err := ipc.Call(context.Background(), cmd.Request(), timeout)
		if err == nil {
			return ipc.Print(cmd, resp, stdout, stderr)
		}
		if !errors.Is(err, ipc.ErrNotRunning) {
			fmt.Fprintf(stderr, "tokentray: %v\n", err)
			return ipc.ExitFailure
		}
		os.Setenv("TOKENTRAY_OFFLINE", "1") // the whole program need not ask the socket again
	}
	return whole(args, cmd, stdout, stderr)
}

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
