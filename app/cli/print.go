package cli

import (
	"fmt"
	"io"
	"strings"

	"tokentray/app/ipc"
	"tokentray/app/model"
)

// Request is the socket request for c.
func (c *Command) Request() ipc.Request {
	r := ipc.Request{Op: c.Spec.Op, Account: c.Account, User: c.User, NoBrowser: c.NoBrowser, Device: c.Device, Via: c.Name}
	if c.Name == "api" {
		api := c.API
		r.API = &api
	}
	if c.Name == "token" && c.MinValidSet {
		r.MinValid = c.MinValid.String()
	}
	if c.Name == "add" {
		r.Name, r.Provider, r.Settings = c.Account, c.Provider, map[string]string{}
		r.Account = ""
		for _, kv := range c.Sets {
			k, v, _ := strings.Cut(kv, "=")
			r.Settings[k] = v
		}
	}
	return r
}

// Progress is how c tells the person a sign-in's address (or, on another device, the code and
// where to enter it), as soon as it is known.
func Progress(c *Command, stderr io.Writer) func(*ipc.Response) {
	return func(r *ipc.Response) {
		if d := r.Device; d != nil {
			fmt.Fprintf(stderr, "On any device, open\n  %s\nand enter the code  %s\n", d.VerificationURI, d.UserCode)
			if d.Complete != "" {
				fmt.Fprintf(stderr, "(or open this address, which holds the code:\n  %s )\n", d.Complete)
			}
			fmt.Fprintln(stderr, "Waiting for the sign-in… (Ctrl-C cancels)")
			return
		}
		u := r.Progress
		if u == "" {
			return
		}
		if c.NoBrowser {
			fmt.Fprintf(stderr, "Open this address in a browser on this computer to sign in:\n  %s\n", u)
		} else {
			fmt.Fprintf(stderr, "Sign in at this address (your browser should be showing it):\n  %s\n", u)
		}
		// only a sign-in in the browser waits for one: a password or a grant has no page
		fmt.Fprintln(stderr, "Waiting for the browser… (Ctrl-C cancels)")
	}
}

// Print writes the answer to c: an error on stderr, else as the command's row says (Spec.Print).
// It returns the exit code.
func Print(c *Command, r *ipc.Response, stdout, stderr io.Writer) int {
	if r.Error != "" {
		fmt.Fprintf(stderr, "tokentray: %s\n", r.Error)
		if r.Code == 0 {
			return ipc.ExitFailure
		}
		return r.Code
	}
	if c.Spec.Print == nil {
		return ipc.ExitOK
	}
	return c.Spec.Print(c, r, stdout, stderr)
}

// printToken prints token's answer, the credential in the format asked.
func printToken(c *Command, r *ipc.Response, stdout, stderr io.Writer) int {
	if r.Token == nil {
		fmt.Fprintln(stderr, "tokentray: the app returned no token")
		return ipc.ExitFailure
	}
	fmt.Fprintln(stdout, FormatToken(*r.Token, c.Format))
	return ipc.ExitOK
}

// FormatToken renders t as --format asks: the credential alone, "Bearer …", an Authorization
// header (OnSIP: the SessionId as a form parameter has no header, so it prints "SessionId: …"),
// JSON with expiry, scope and identity, or a shell assignment safe to eval.
func FormatToken(t model.Credential, format string) string {
	switch format {
	case "bearer":
		return "Bearer " + t.Value
	case "header":
		if t.Kind == model.SessionKind {
			return "SessionId: " + t.Value
		}
		return "Authorization: Bearer " + t.Value
	case "json":
		return string(ipc.AppendCredential(nil, t))
	case "env":
		return "TOKENTRAY_TOKEN=" + ShellQuote(t.Value)
	}
	return t.Value
}

// ShellQuote quotes s for a POSIX shell: s in single quotes, each single quote in it closed,
// escaped and reopened. Whatever s holds, eval of the result assigns it and runs nothing.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
