package ipc

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"tokentray/app/model"
)

// Request is the socket request for c.
func (c *Command) Request() Request {
	r := Request{Op: c.Spec.Op, Account: c.Account, User: c.User, NoBrowser: c.NoBrowser, Device: c.Device, Via: c.Name}
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
func Progress(c *Command, stderr io.Writer) func(*Response) {
	return func(r *Response) {
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
			return
		}
		fmt.Fprintf(stderr, "Sign in at this address (your browser should be showing it):\n  %s\n", u)
	}
}

// Print writes the answer to c: the result on stdout, messages on stderr. It returns the exit code.
func Print(c *Command, r *Response, stdout, stderr io.Writer) int {
	if r.Error != "" {
		fmt.Fprintf(stderr, "tokentray: %s\n", r.Error)
		if r.Code == 0 {
			return ExitFailure
		}
		return r.Code
	}
	switch c.Name {
	case "token":
		if r.Token == nil {
			fmt.Fprintln(stderr, "tokentray: the app returned no token")
			return ExitFailure
		}
		fmt.Fprintln(stdout, FormatToken(*r.Token, c.Format))
	case "list":
		printList(c, r, stdout, stderr)
	case "audit":
		printAudit(c, r, stdout)
	case "api":
		return printAPI(c, r, stdout, stderr)
	case "inspect":
		if r.Inspection != nil {
			if c.JSON {
				b, _ := json.MarshalIndent(r.Inspection, "", "  ")
				fmt.Fprintln(stdout, string(b))
			} else {
				fmt.Fprint(stdout, InspectionText(*r.Inspection, time.Now()))
			}
		}
	case "status":
		for _, a := range r.Accounts {
			printStatus(a, stdout)
		}
	case "login":
		if len(r.Accounts) == 1 {
			fmt.Fprintf(stderr, "Signed in to %s as %s.\n", r.Accounts[0].Name, r.Accounts[0].Identity)
		}
	case "logout":
		if len(r.Accounts) == 1 {
			fmt.Fprintf(stderr, "Signed out of %s.\n", r.Accounts[0].Name)
		}
	case "act-as":
		printUsers(c, r, stdout, stderr)
	case "add":
		if len(r.Accounts) == 1 {
			fmt.Fprintf(stderr, "Added %s. Sign in with `tokentray login %s`.\n", r.Accounts[0].Name, r.Accounts[0].Name)
		}
	case "remove":
		if len(r.Accounts) == 1 {
			fmt.Fprintf(stderr, "Removed %s.\n", r.Accounts[0].Name)
		}
	}
	return ExitOK
}

// listed is an account as `tokentray list --json` prints it.
type listed struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Provider      string    `json:"provider"`
	State         string    `json:"state"`
	Expiry        time.Time `json:"expiry,omitzero"`
	RefreshExpiry time.Time `json:"refresh_expiry,omitzero"`
	Identity      string    `json:"identity,omitempty"`
	Error         string    `json:"error,omitempty"`
	SigningIn     bool      `json:"signing_in,omitempty"`
}

func printList(c *Command, r *Response, stdout, stderr io.Writer) {
	if c.Names { // for scripts and completion: nothing else, not even a problem
		for _, a := range r.Accounts {
			fmt.Fprintln(stdout, a.Name)
		}
		return
	}
	if c.JSON {
		out := []listed{}
		for _, a := range r.Accounts {
			out = append(out, listed{a.ID, a.Name, a.Provider, a.State.String(), a.Expiry, a.RefreshExpiry, a.Identity, a.Problem.Detail, a.SigningIn})
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(stdout, string(b))
		return
	}
	if r.Problem != "" {
		fmt.Fprintf(stderr, "tokentray: %s\n", r.Problem)
	}
	if len(r.Accounts) == 0 {
		fmt.Fprintln(stderr, "No accounts yet: add one with `tokentray add NAME --provider KIND` or in the Accounts window.")
		return
	}
	w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tPROVIDER\tSTATE\tEXPIRES\tIDENTITY")
	for _, a := range r.Accounts {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Provider, a.State, when(a.Expiry), a.Identity)
	}
	w.Flush()
}

func printStatus(a model.Account, stdout io.Writer) {
	fmt.Fprintf(stdout, "Name:       %s\nId:         %s\nProvider:   %s\nState:      %s\n", a.Name, a.ID, a.Provider, a.State)
	if !a.Expiry.IsZero() {
		fmt.Fprintf(stdout, "Expires:    %s\n", when(a.Expiry))
	}
	if !a.RefreshExpiry.IsZero() {
		fmt.Fprintf(stdout, "Sign-in ends: %s\n", when(a.RefreshExpiry))
	}
	if a.Identity != "" {
		fmt.Fprintf(stdout, "Signed in as: %s\n", a.Identity)
	}
	if a.SigningIn {
		fmt.Fprintf(stdout, "Signing in: waiting for the browser\n")
	}
	if a.Problem.Detail != "" {
		fmt.Fprintf(stdout, "Problem:    %s\n", a.Problem.Detail)
	}
}

func printUsers(c *Command, r *Response, stdout, stderr io.Writer) {
	if len(r.Accounts) != 1 {
		return
	}
	a := r.Accounts[0]
	if c.User != "" {
		for _, u := range a.Users {
			if u.ID == a.CurrentUser {
				fmt.Fprintf(stderr, "%s now acts as %s (%s).\n", a.Name, u.Name, u.ID)
			}
		}
		return
	}
	if len(a.Users) == 0 {
		fmt.Fprintf(stderr, "%s has no OnSIP users to choose from: sign in first.\n", a.Name)
		return
	}
	for _, u := range a.Users {
		mark := " "
		if u.ID == a.CurrentUser {
			mark = "*"
		}
		fmt.Fprintf(stdout, "%s %s\t%s\n", mark, u.ID, u.Name)
	}
}

// FormatToken renders t as --format asks: the credential alone, "Bearer …", an Authorization
// header (OnSIP: the SessionId as a form parameter has no header, so it prints "SessionId: …"),
// JSON with expiry, scope and identity, or a shell assignment safe to eval.
func FormatToken(t model.Credential, format string) string {
	switch format {
	case "bearer":
		return "Bearer " + t.Value
	case "header":
		if t.Kind == "onsip-session" {
			return "SessionId: " + t.Value
		}
		return "Authorization: Bearer " + t.Value
	case "json":
		b, _ := json.Marshal(t)
		return string(b)
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

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// printAudit prints the record of hand-outs, newest first: a table, or JSON.
func printAudit(c *Command, r *Response, stdout io.Writer) {
	if c.JSON {
		out := r.HandOuts
		if out == nil {
			out = []model.HandOut{}
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(stdout, string(b))
		return
	}
	if len(r.HandOuts) == 0 {
		fmt.Fprintln(stdout, "No credential has been handed out yet.")
		return
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "WHEN\tACCOUNT\tHOW\tPROCESS\tFINGERPRINT")
	for _, h := range r.HandOuts {
		how := h.Via
		if h.Command != "" {
			how += " " + h.Command
		}
		proc := ""
		if h.PID != 0 {
			proc = fmt.Sprintf("%d %s", h.PID, cmp.Or(h.Program, "?"))
			if h.Parent != "" {
				proc += " (run by " + h.Parent + ")"
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", h.Time.Local().Format("2006-01-02 15:04:05"), h.Account, how, proc, h.Fingerprint)
	}
	w.Flush()
}

// printAPI writes the provider's answer on stdout: as it came, or JSON indented when stdout is a
// terminal (and not --raw). The status decides the exit code: 0 for 2xx, 1 otherwise.
func printAPI(c *Command, r *Response, stdout, stderr io.Writer) int {
	a := r.API
	if a == nil {
		return ExitFailure
	}
	body := a.Body
	if !c.Raw && isTerminal(stdout) {
		var buf bytes.Buffer
		if strings.Contains(a.ContentType, "json") && json.Indent(&buf, body, "", "  ") == nil {
			body = append(buf.Bytes(), '\n')
		}
		body = []byte(terminalSafe(string(body))) // no escape sequence from a provider reaches the terminal
	}
	_, _ = stdout.Write(body)
	if a.Status/100 != 2 {
		fmt.Fprintf(stderr, "tokentray: api: HTTP %d %s\n", a.Status, a.StatusText)
		return ExitFailure
	}
	return ExitOK
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
