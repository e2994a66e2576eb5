package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"tokentray/app/ipc"
)

// ExitNotFound is exec's code when the command to run cannot be found, as shells use.
const ExitNotFound = 127

// TokenRequest is the request for one of exec's accounts: a credential, valid as --min-valid asks.
func (c *Command) TokenRequest(name string) ipc.Request {
	r := ipc.Request{Op: ipc.OpToken, Account: name, Via: c.Name, Command: filepath.Base(c.Argv[0])}
	if c.MinValidSet {
		r.MinValid = c.MinValid.String()
	}
	return r
}

// RunExec runs c.Argv with each of c's accounts' credential in its variable, as ask answers for
// it, and returns with the command's exit status (on Unix the command replaces this process). An
// error from ask (the app is not running) is returned before anything runs; an answer that is an
// error is printed and its code returned.
func RunExec(c *Command, ask func(ipc.Request) (*ipc.Response, error), stderr io.Writer) (int, error) {
	env := os.Environ()
	for _, e := range c.Execs {
		r, err := ask(c.TokenRequest(e.Name))
		if err != nil {
			return ipc.ExitFailure, err
		}
		if r.Error != "" || r.Token == nil {
			return Print(c, r, io.Discard, stderr), nil
		}
		env = setEnv(env, e.Env, r.Token.Value)
	}
	path, err := exec.LookPath(c.Argv[0])
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: exec: %s: %v\n", c.Argv[0], errors.Unwrap(err))
		return ExitNotFound, nil
	}
	return execve(path, c.Argv, env, stderr), nil
}

// setEnv is env with name set to value, in place of any value it had.
func setEnv(env []string, name, value string) []string {
	env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, name+"=") })
	return append(env, name+"="+value)
}

// runChild runs path as a child with stdio passed through and returns its exit status: where
// the process cannot be replaced (Windows), or when replacing it failed.
func runChild(path string, argv, env []string, stderr io.Writer) int {
	cmd := exec.Command(path, argv[1:]...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode()
	case err != nil:
		fmt.Fprintf(stderr, "tokentray: exec: %v\n", err)
		return ipc.ExitFailure
	}
	return ipc.ExitOK
}
