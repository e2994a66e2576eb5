package main

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

	"tokentray/app"
	"tokentray/app/cli"
	"tokentray/app/ipc"
)

// runner runs the commands: each goes to the running app through its socket when the app runs,
// and is done here otherwise (from the keyring, under the per-account lock shared with the app),
// through the same Core.Answer, so both give the same answers.
type runner struct {
	deps           app.Deps   // Production's, usually; Only is set here
	caller         ipc.Caller // asks the running app
	stdin          io.Reader
	stdout, stderr io.Writer
}

// run runs one parsed command and returns the exit code.
func (c *runner) run(cmd *cli.Command) int {
	if err := cmd.ReadBody(c.stdin); err != nil {
		fmt.Fprintf(c.stderr, "tokentray: %v\n", err)
		return ipc.ExitUsage
	}
	req := cmd.Request()
	if cmd.Name == "add" && cmd.SecretStdin {
		secret, err := c.readSecret()
		if err != nil {
			fmt.Fprintf(c.stderr, "tokentray: %v\n", err)
			if errors.As(err, new(usageError)) {
				return ipc.ExitUsage
			}
			return ipc.ExitFailure
		}
		req.Secrets = map[string]string{cmd.Secret: secret}
	}
	if cmd.Name == "exec" {
		return c.exec(cmd)
	}
	progress := cli.Progress(cmd, c.stderr)
	resp, err := c.caller.Call(context.Background(), req, cmd.Spec.WaitFor(), progress)
	switch {
	case err == nil && cmd.Name == "quit":
		return c.quit(cmd, resp)
	case err == nil:
		return cli.Print(cmd, resp, c.stdout, c.stderr)
	case !errors.Is(err, ipc.ErrNotRunning):
		fmt.Fprintf(c.stderr, "tokentray: %v\n", err)
		return ipc.ExitFailure
	case cmd.Name == "quit":
		fmt.Fprintln(c.stderr, "Tokentray is not running.")
		return ipc.ExitOK
	}
	// Tokentray is not running: do the job here.
	d := c.deps
	d.Only = cmd.Account
	core := app.NewCore(d)
	if p := core.ConfigProblem(); p != "" && cmd.Name != "list" {
		fmt.Fprintf(c.stderr, "tokentray: %s\n", p)
		return ipc.ExitFailure
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	answer, after := core.Answer(ctx, req, app.Call{Asker: app.SelfAsker(req.Via, req.Command), Send: func(r ipc.Response) error {
		progress(&r)
		return nil
	}})
	defer after()
	return cli.Print(cmd, &answer, c.stdout, c.stderr)
}

// exec runs the command with the credentials, from the app if it runs, else from the keyring.
func (c *runner) exec(cmd *cli.Command) int {
	var core *app.Core
	code, err := cli.RunExec(cmd, func(r ipc.Request) (*ipc.Response, error) {
		resp, err := c.caller.Call(context.Background(), r, cmd.Spec.WaitFor(), nil)
		if !errors.Is(err, ipc.ErrNotRunning) {
			return resp, err
		}
		if core == nil { // Tokentray is not running: do the job here
			d := c.deps
			if len(cmd.Execs) == 1 {
				d.Only = cmd.Account
			}
			core = app.NewCore(d)
		}
		answer, after := core.Answer(context.Background(), r, app.Call{Asker: app.SelfAsker(r.Via, r.Command)})
		after() // before exec replaces this process
		return &answer, nil
	}, c.stderr)
	if err != nil {
		fmt.Fprintf(c.stderr, "tokentray: %v\n", err)
	}
	return code
}

// quit waits until the app that answered quit has ended (its files may be replaced then), at
// most quitWait.
func (c *runner) quit(cmd *cli.Command, resp *ipc.Response) int {
	if resp.Error == "" && resp.Info != nil && resp.Info.PID > 0 && !waitExit(resp.Info.PID, quitWait) {
		fmt.Fprintf(c.stderr, "tokentray: Tokentray (process %d) is still running after %s\n", resp.Info.PID, quitWait)
		return ipc.ExitFailure
	}
	return cli.Print(cmd, resp, c.stdout, c.stderr)
}

const quitWait = 10 * time.Second

// usageError is a mistake in how the command was used: exit code 2.
type usageError struct{ error }

// maxSecret is the longest secret `add --secret-stdin` takes whole, in bytes.
const maxSecret = 64 << 10

// readSecret reads one line, the secret, from stdin.
func (c *runner) readSecret() (string, error) {
	line, err := bufio.NewReader(io.LimitReader(c.stdin, maxSecret+2)).ReadString('\n')
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
