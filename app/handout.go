package app

import (
	"os"
	"time"

	"tokentray/auth/text"

	"tokentray/app/audit"
	"tokentray/app/config"
	"tokentray/app/ipc"
	"tokentray/app/model"
	"tokentray/auth"
)

// Asker is who asks for a credential, for the record of hand-outs: the process at the other end of
// the socket, or this one. The zero Asker is the app's own face in this process, the tray.
type Asker struct {
	Via     string   // token, exec, api, window, inspect; "" for the tray
	Command string   // exec's command
	Peer    ipc.Peer // the asking process; its zero value is this one
}

// AskerOf is who asks by req, a request on the socket from peer: one of the ways Tokentray knows,
// else "socket" (a client cannot label itself the tray).
func AskerOf(req ipc.Request, peer ipc.Peer) Asker {
	via := "socket"
	switch req.Via {
	case "token", "exec", "api", "window", "inspect":
		via = req.Via
	}
	return Asker{Via: via, Command: req.Command, Peer: peer}
}

// SelfAsker is this process asking by way of via for command: a command doing the job itself,
// without the app.
func SelfAsker(via, command string) Asker { return Asker{Via: via, Command: command} }

// handOut records that cred of acc left Tokentray to a. What must be read while the asker waits
// (its program: the /proc link goes when it exits) is read now; the rest is returned, to run once
// the asker has its answer: the asker waits for nothing but its credential, and a read of the record
// still sees it (a promise). The parent is read then (/proc keeps the asker until it is reaped), and
// the line written at once, on the thread that answered: one append to the file kept open. On a
// goroutine, as it was, the thread it woke cost the app a quarter more CPU for each hand-out, spent
// on the other core while the asker was still ending (make bench: 0.03 of hello-world's time).
func (c *Core) handOut(a Asker, acc config.Account, cred model.Credential) (later func()) {
	if a.Peer.PID == 0 {
		a.Peer.PID = os.Getpid()
	}
	if a.Via == "" {
		a.Via = "tray"
	}
	h := model.HandOut{Time: c.d.Now().UTC().Truncate(time.Millisecond), AccountID: acc.ID, Account: acc.Name, Via: a.Via,
		Command: a.Command, PID: a.Peer.PID, Program: audit.ProgramOf(a.Peer.PID)}
	c.audit.Promise()
	return func() {
		// a program's name is anyone's choice: made printable, as any text Tokentray prints
		h.Program, h.Parent, h.Command = text.Printable(h.Program, 300), text.Printable(audit.ParentOf(h.PID), 300), text.Printable(h.Command, 100)
		h.Fingerprint = auth.Fingerprint(cred.Value)
		c.audit.Record(h, true)
	}
}

// Audit returns the record of the named account's hand-outs ("" for every account), newest first.
func (c *Core) Audit(name string, n int) ([]model.HandOut, error) {
	var id model.AccountID
	if name != "" {
		a, err := c.resolve(name)
		if err != nil {
			return nil, err
		}
		id = a.ID
	}
	return c.audit.Read(id, n)
}
