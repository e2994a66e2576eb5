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

	"tokentray/app/ipc"
)

// CLI runs the commands of the whole program: each goes to the running app through its socket
// when the app runs, and is done here otherwise (from the keyring, under the per-account lock
// shared with the app), through the same Core.Answer, so both give the same answers.
type CLI struct {
	Deps           Deps // Production's, usually; Only is set here
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run runs one parsed command and returns the exit code.
func (c *CLI) Run(cmd ipc.Command) int {
	if err := cmd.ReadBody(c.Stdin); err != nil {
		fmt.Fprintf(c.Stderr, "tokentray: %v\n", err)
		return ipc.ExitUsage
	}
	req := cmd.Request()
	if cmd.Name == "add" && cmd.SecretStdin {
		secret, err := c.readSecret()
		if err != nil {
			fmt.Fprintf(c.Stderr, "tokentray: %v\n", err)
			return exitCode(err)
		}
		req.Secrets = map[string]string{cmd.Secret: secret}
	}
	if cmd.Name == "exec" {
		return c.exec(cmd)
	}
	progress := ipc.Progress(&cmd, c.Stderr)
	resp, err := ipc.CallWith(context.Background(), req, cmd.Spec.WaitFor(), progress)
	switch {
	case err == nil:
		return ipc.Print(&cmd, resp, c.Stdout, c.Stderr)
	case !errors.Is(err, ipc.ErrNotRunning):
		fmt.Fprintf(c.Stderr, "tokentray: %v\n", err)
		return ipc.ExitFailure
	}
	// Tokentray is not running: do the job here.
	d := c.Deps
	d.Only = cmd.Account
	core := NewCore(d)
	if p := core.ConfigProblem(); p != "" && cmd.Name != "list" {
		fmt.Fprintf(c.Stderr, "tokentray: %s\n", p)
		return ipc.ExitFailure
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx = withAsker(ctx, asker{via: req.Via, command: req.Command}) // this process asks
	answer := core.Answer(ctx, req, Faces{}, func(r ipc.Response) error {
		progress(&r)
		return nil
	})
	return ipc.Print(&cmd, &answer, c.Stdout, c.Stderr)
}

// exec runs the command with the credentials, from the app if it runs, else from the keyring.
func (c *CLI) exec(cmd ipc.Command) int {
	var core *Core
	code, err := ipc.RunExec(&cmd, func(r ipc.Request) (*ipc.Response, error) {
		resp, err := ipc.CallWith(context.Background(), r, cmd.Spec.WaitFor(), nil)
		if !errors.Is(err, ipc.ErrNotRunning) {
			return resp, err
		}
		if core == nil { // Tokentray is not running: do the job here
			d := c.Deps
			if len(cmd.Execs) == 1 {
				d.Only = cmd.Account
			}
			core = NewCore(d)
		}
		ctx := withAsker(context.Background(), asker{via: r.Via, command: r.Command}) // this process asks
		answer := core.Answer(ctx, r, Faces{}, func(ipc.Response) error { return nil })
		return &answer, nil
	}, c.Stderr)
	if err != nil {
		fmt.Fprintf(c.Stderr, "tokentray: %v\n", err)
	}
	return code
}

type usageError struct{ error }

// maxSecret is the longest secret `add --secret-stdin` takes whole, in bytes.
const maxSecret = 64 << 10

// readSecret reads one line, the secret, from stdin.
func (c *CLI) readSecret() (string, error) {
	line, err := bufio.NewReader(io.LimitReader(c.Stdin, maxSecret+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("could not read the secret from stdin: %w", err)
	}
	secret := strings.TrimRight(line, "\r\n")
	switch {
	case len(secret) > maxSecret:
		return "", usageError{fmt.Errorf("the secret on stdin is longer than %d KiB, more than any client secret or password; nothing was added", maxSecret>>10)}
	case secret == "":
		return "", usageError{errors.New("--secret-stdin read nothing: pipe the secret in, e.g. `pass show x | tokentray add …`")}
	}
	return secret, nil
}
