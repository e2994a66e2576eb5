package commands

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

	"tokentray/app/cli"
	"tokentray/app/ipc"
	"tokentray/app/model"
	"tokentray/tray/words"
)

// The printers of the commands' answers, one per row of the table (Spec.Print). The lean command
// prints only a credential (cli.Token's), and so links none of these: no encoding/json, no
// text/tabwriter.

func printInspect(c *cli.Command, r *ipc.Response, stdout, _ io.Writer) int {
	if r.Inspection != nil {
		if c.JSON {
			b, _ := json.MarshalIndent(r.Inspection, "", "  ")
			fmt.Fprintln(stdout, string(b))
		} else {
			fmt.Fprint(stdout, words.InspectionText(*r.Inspection, time.Now()))
		}
	}
	return ipc.ExitOK
}

func printStatuses(_ *cli.Command, r *ipc.Response, stdout, _ io.Writer) int {
	for _, a := range r.Accounts {
		printStatus(a, stdout)
	}
	return ipc.ExitOK
}

func printLogin(_ *cli.Command, r *ipc.Response, _, stderr io.Writer) int {
	if len(r.Accounts) == 1 {
		a := r.Accounts[0]
		fmt.Fprintf(stderr, "Signed in to %s as %s.\n", a.Name, a.Identity)
		if a.EndsWithToken() {
			fmt.Fprintf(stderr, "The provider gave no refresh token: this sign-in ends with its token, at %s. Sign in again then.\n",
				a.Expiry.Local().Format("15:04"))
		}
	}
	return ipc.ExitOK
}

func printLogout(_ *cli.Command, r *ipc.Response, _, stderr io.Writer) int {
	if len(r.Accounts) == 1 {
		fmt.Fprintf(stderr, "Signed out of %s.\n", r.Accounts[0].Name)
	}
	return ipc.ExitOK
}

func printAdd(_ *cli.Command, r *ipc.Response, _, stderr io.Writer) int {
	if len(r.Accounts) == 1 {
		a := r.Accounts[0]
		if a.Unattended {
			fmt.Fprintf(stderr, "Added %s. It needs no sign-in: `tokentray token %s` gets its token.\n", a.Name, a.Name)
		} else {
			fmt.Fprintf(stderr, "Added %s. Sign in with `tokentray login %s`.\n", a.Name, a.Name)
		}
	}
	return ipc.ExitOK
}

func printQuit(_ *cli.Command, _ *ipc.Response, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "Tokentray has quit.")
	return ipc.ExitOK
}

func printRemove(_ *cli.Command, r *ipc.Response, _, stderr io.Writer) int {
	if len(r.Accounts) == 1 {
		fmt.Fprintf(stderr, "Removed %s.\n", r.Accounts[0].Name)
	}
	return ipc.ExitOK
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

func printList(c *cli.Command, r *ipc.Response, stdout, stderr io.Writer) int {
	if c.Names { // for scripts and completion: nothing else, not even a problem
		for _, a := range r.Accounts {
			fmt.Fprintln(stdout, a.Name)
		}
		return ipc.ExitOK
	}
	if c.JSON {
		out := []listed{}
		for _, a := range r.Accounts {
			out = append(out, listed{string(a.ID), a.Name, a.Provider, a.State.String(), a.Expiry, a.RefreshExpiry, a.Identity, a.Problem.Detail, a.SigningIn})
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(stdout, string(b))
		return ipc.ExitOK
	}
	if r.Problem != "" {
		fmt.Fprintf(stderr, "tokentray: %s\n", r.Problem)
	}
	if len(r.Accounts) == 0 {
		fmt.Fprintln(stderr, "No accounts yet: add one with `tokentray add NAME --provider KIND` or in the Accounts window.")
		return ipc.ExitOK
	}
	w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tPROVIDER\tSTATE\tEXPIRES\tIDENTITY")
	for _, a := range r.Accounts {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Name, a.Provider, a.State, when(a.Expiry), a.Identity)
	}
	w.Flush()
	return ipc.ExitOK
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

func printUsers(c *cli.Command, r *ipc.Response, stdout, stderr io.Writer) int {
	if len(r.Accounts) != 1 {
		return ipc.ExitOK
	}
	a := r.Accounts[0]
	if c.User != "" {
		for _, u := range a.Users {
			if u.ID == a.CurrentUser {
				fmt.Fprintf(stderr, "%s now acts as %s (%s).\n", a.Name, u.Name, u.ID)
			}
		}
		return ipc.ExitOK
	}
	if len(a.Users) == 0 {
		fmt.Fprintf(stderr, "%s has no OnSIP users to choose from: sign in first.\n", a.Name)
		return ipc.ExitOK
	}
	for _, u := range a.Users {
		mark := " "
		if u.ID == a.CurrentUser {
			mark = "*"
		}
		fmt.Fprintf(stdout, "%s %s\t%s\n", mark, u.ID, u.Name)
	}
	return ipc.ExitOK
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// printAudit prints the record of hand-outs, newest first: a table, or JSON.
func printAudit(c *cli.Command, r *ipc.Response, stdout, _ io.Writer) int {
	if c.JSON {
		out := r.HandOuts
		if out == nil {
			out = []model.HandOut{}
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(stdout, string(b))
		return ipc.ExitOK
	}
	if len(r.HandOuts) == 0 {
		fmt.Fprintln(stdout, "No credential has been handed out yet.")
		return ipc.ExitOK
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
	return ipc.ExitOK
}

// printAPI writes the provider's answer on stdout: as it came, or JSON indented when stdout is a
// terminal (and not --raw). The status decides the exit code: 0 for 2xx, 1 otherwise.
func printAPI(c *cli.Command, r *ipc.Response, stdout, stderr io.Writer) int {
	a := r.API
	if a == nil {
		return ipc.ExitFailure
	}
	body := a.Body
	if !c.Raw && isTerminal(stdout) {
		var buf bytes.Buffer
		if strings.Contains(a.ContentType, "json") && json.Indent(&buf, body, "", "  ") == nil {
			body = append(buf.Bytes(), '\n')
		}
		body = []byte(words.TerminalSafe(string(body))) // no escape sequence from a provider reaches the terminal
	}
	_, _ = stdout.Write(body)
	if a.Status/100 != 2 {
		fmt.Fprintf(stderr, "tokentray: api: HTTP %d %s\n", a.Status, a.StatusText)
		return ipc.ExitFailure
	}
	return ipc.ExitOK
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
