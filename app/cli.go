package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"tokentray/app/ipc"
	"tokentray/auth"
)

// CLI runs the commands of the full program: every command works with the app running (through
// its socket) and without it (from the keyring, under the per-account lock).
type CLI struct {
	Paths          Paths
	KeyringService string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run runs one parsed command and returns the exit code.
func (c *CLI) Run(cmd ipc.Command) int {
	switch cmd.Name {
	case "add":
		return c.report(c.add(cmd))
	case "remove":
		return c.report(c.remove(cmd))
	}
	if os.Getenv("TOKENTRAY_OFFLINE") != "1" { // the lean binary already found no app
		timeout := 90 * time.Second
		if cmd.Name == "login" {
			timeout = auth.DefaultSignInTimeout + time.Minute
		}
		resp, err := ipc.Call(context.Background(), cmd.Request(), timeout)
		if err == nil {
			return ipc.Print(cmd, resp, c.Stdout, c.Stderr)
		}
		if !errors.Is(err, ipc.ErrNotRunning) {
			fmt.Fprintf(c.Stderr, "tokentray: %v\n", err)
			return ipc.ExitFailure
		}
	}
	// Tokentray is not running: do the job here.
	svc, err := NewService(c.Paths, auth.NewKeyring(c.KeyringService), Options{}, cmd.Account)
	if err != nil {
		return c.report(err)
	}
	svc.Offline = true
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if cmd.Name == "login" {
		svc.ShowURL = func(u string) { fmt.Fprintf(c.Stderr, "Open this address in your browser to sign in:\n  %s\n", u) }
		fmt.Fprintln(c.Stderr, "Waiting for the browser… (Ctrl-C cancels)")
	}
	return ipc.Print(cmd, ptr(svc.Handle(ctx, cmd.Request())), c.Stdout, c.Stderr)
}

func ptr[T any](v T) *T { return &v }

func (c *CLI) report(err error) int {
	if err == nil {
		return ipc.ExitOK
	}
	fmt.Fprintf(c.Stderr, "tokentray: %v\n", err)
	var le *LookupError
	if errors.As(err, &le) {
		return ipc.ExitNoAccount
	}
	var ue usageError
	if errors.As(err, &ue) {
		return ipc.ExitUsage
	}
	return ipc.ExitFailure
}

type usageError struct{ error }

// maxSecret is the longest secret `add --secret-stdin` takes whole, in bytes.
const maxSecret = 64 << 10

// add validates the new account exactly as the accounts file and the window do, reads its secret
// from stdin, and saves it through AddAccount: on any failure nothing is left behind.
func (c *CLI) add(cmd ipc.Command) error {
	settings := map[string]string{}
	for _, kv := range cmd.Sets {
		k, v, _ := strings.Cut(kv, "=")
		settings[k] = v
	}
	secrets := map[string]string{}
	if cmd.SecretStdin {
		line, err := bufio.NewReader(io.LimitReader(c.Stdin, maxSecret+1)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("could not read the secret from stdin: %w", err)
		}
		if len(strings.TrimRight(line, "\r\n")) > maxSecret {
			return usageError{fmt.Errorf("the secret on stdin is longer than %d KiB, more than any client secret or password; nothing was added", maxSecret>>10)}
		}
		if secrets[cmd.Secret] = strings.TrimRight(line, "\r\n"); secrets[cmd.Secret] == "" {
			return usageError{errors.New("--secret-stdin read nothing: pipe the secret in, e.g. `pass show x | tokentray add …`")}
		}
	}
	a, err := AddAccount(c.Paths, auth.NewKeyring(c.KeyringService), cmd.Account, cmd.Provider, settings, secrets)
	var inv *InvalidAccount
	if errors.As(err, &inv) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	c.reloadApp()
	fmt.Fprintf(c.Stderr, "Added %s (%s). Sign in with `tokentray login %s`.\n", a.Name, a.Kind().Title, a.Name)
	return nil
}

// remove signs the account out (revoking where possible, through the app when it runs), then
// deletes every secret it has and drops it from the accounts file.
func (c *CLI) remove(cmd ipc.Command) error {
	cfg, err := LoadConfig(c.Paths.Config)
	if err != nil {
		return err
	}
	a, err := ResolveAccount(cfg.Accounts, cmd.Account)
	if err != nil {
		return err
	}
	store := auth.NewKeyring(c.KeyringService)
	if resp, err := ipc.Call(context.Background(), ipc.Request{Op: "logout", Account: a.ID}, 30*time.Second); err != nil {
		_ = NewManager(&Config{Accounts: []Account{a}}, Options{Store: store}).SignOut(context.Background(), a.ID)
	} else if resp.Error != "" {
		fmt.Fprintf(c.Stderr, "tokentray: signing out first: %s\n", resp.Error)
	}
	if err := RemoveAccount(c.Paths, store, a.ID); err != nil {
		return err
	}
	c.reloadApp()
	fmt.Fprintf(c.Stderr, "Removed %s.\n", a.Name)
	return nil
}

func (c *CLI) reloadApp() {
	_, _ = ipc.Call(context.Background(), ipc.Request{Op: "reload"}, 10*time.Second)
}
