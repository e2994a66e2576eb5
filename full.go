//go:build !cli

package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"tokentray/app"
	"tokentray/app/ipc"
	"tokentray/auth"
	"tokentray/tray"
)

// whole runs the command in this process: the tray app, or a command that needs the whole program.
func whole(_ []string, cmd ipc.Command, stdout, stderr io.Writer) int {
	switch cmd.Name {
	case "", "show":
		return runTray(trayOptions{paths: app.DefaultPaths(), keyring: auth.DefaultService, debug: cmd.Debug}, stderr)
	case "demo":
		return runDemo(cmd.Debug, stderr)
	}
	// A command's log goes to stderr, warnings only unless --debug, through the same redaction.
	level := slog.LevelWarn
	if cmd.Debug {
		level = slog.LevelDebug
	}
	slog.SetDefault(slog.New(app.NewRedactingHandler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))))
	cli := &app.CLI{Paths: app.DefaultPaths(), KeyringService: auth.DefaultService, Stdin: os.Stdin, Stdout: stdout, Stderr: stderr}
	return cli.Run(cmd)
}

// trayOptions say where the tray app keeps things: the real places, or demo mode's.
type trayOptions struct {
	paths   app.Paths
	keyring string // the keyring service name
	debug   bool
	demo    bool
}

func runTray(o trayOptions, stderr io.Writer) int {
	paths := o.paths
	log, closer, err := app.OpenLog(paths.Log, o.debug, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return 1
	}
	defer closer.Close()
	slog.SetDefault(log)

	// One app per user: the socket is the single-instance check.
	ln, err := app.ListenSocket(ipc.SocketPath())
	if errors.Is(err, app.ErrAlreadyRunning) {
		_, _ = ipc.Call(context.Background(), ipc.Request{Op: "show"}, 5*time.Second)
		fmt.Fprintln(stderr, "Tokentray is already running; its window was brought forward.")
		return 0
	}
	if err != nil {
		log.Error("could not open the command socket; `tokentray token` will work without the app", "err", err)
	}

	state := tray.MenuState{Now: time.Now()}
	svc, err := app.NewService(paths, auth.NewKeyring(o.keyring), app.Options{}, "")
	if err != nil {
		log.Error("could not load the accounts", "err", err)
		state.Problem = err.Error()
	}

	build, _ := strconv.Atoi(details("Build"))
	fyneapp.SetMetadata(fyne.AppMetadata{ID: details("ID"), Name: details("Name"), Version: details("Version"), Build: build})
	a := fyneapp.NewWithID(details("ID"))
	hasTray := tray.HostPresent()
	log.Info("starting", "version", details("Version"), "tray_host", hasTray)
	ui := tray.New(a, tray.Info{
		Version: details("Version"), ConfigPath: paths.Config, LogPath: paths.Log,
		KeyringService: o.keyring, TrayAvailable: hasTray, Demo: o.demo,
	}, state, tray.Actions{})

	if svc != nil {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go svc.M.Run(ctx)
		wireTray(ctx, a, ui, svc)
	}
	ui.Start()
	if ln != nil {
		handle := func(ctx context.Context, req ipc.Request) ipc.Response {
			if svc == nil {
				return ipc.Response{Error: "the accounts file has a problem: " + state.Problem, Code: ipc.ExitFailure}
			}
			return svc.Handle(ctx, req)
		}
		srv := &app.SocketServer{Handle: handle, OpTimeout: func(op string) time.Duration {
			if op == "login" {
				return auth.DefaultSignInTimeout + 30*time.Second
			}
			return 60 * time.Second
		}}
		go func() { _ = srv.Serve(ln) }()
		defer ln.Close() // removes the socket file
	}
	a.Run()
	log.Info("stopped")
	return 0
}

// wireTray connects the tray to the service: the menu's actions, the copier, notifications, and
// keeping the menu true as states change and time passes.
func wireTray(ctx context.Context, a fyne.App, ui *tray.UI, svc *app.Service) {
	prefs := func() app.Preferences { return svc.Config().Settings }
	clip := &tray.Copier{Clipboard: tray.SystemClipboard(a), ClearAfter: prefs().ClipboardClearAfter()}
	autostart := app.Autostart{ID: details("ID"), Exec: autostartExec()}
	var notifier tray.Notifier
	var signIns sync.Map // account id → signIn, while its sign-in waits for the browser
	notify := func(title, body string) {
		if prefs().NotificationsOn() {
			fyne.Do(func() { a.SendNotification(fyne.NewNotification(title, body)) })
		}
	}
	state := func() tray.MenuState {
		accs := trayAccounts(svc.M)
		for i := range accs {
			if c, ok := svc.Config().AccountByID(accs[i].ID); ok {
				accs[i].Settings = c.Settings
			}
		}
		for _, n := range notifier.Update(accs, time.Now()) {
			notify(n.Title, n.Body)
		}
		p := prefs()
		return tray.MenuState{Accounts: accs, Now: time.Now(), StartAtLogin: autostart.Enabled(), Prefs: tray.Prefs{
			ClipboardClear: p.ClipboardClearAfter().String(), MinValid: p.MinValidity().String(), Notifications: p.NotificationsOn()}}
	}
	refresh := func() { ui.Update(state()) }
	byID := func(id string) tray.Account {
		for _, acc := range trayAccounts(svc.M) {
			if acc.ID == id {
				return acc
			}
		}
		return tray.Account{ID: id}
	}
	report := func(what string, err error) {
		if err != nil {
			slog.Warn(what, "err", err)
			notify("Tokentray", what+": "+err.Error())
		}
	}
	ui.SetActions(tray.Actions{
		Copy: func(id string, asHeader bool) {
			go func() {
				resp := svc.Handle(ctx, ipc.Request{Op: "token", Account: id}) // the default validity: always met by a fresh credential
				if resp.Error != "" {
					report("Could not copy", errors.New(resp.Error))
					return
				}
				format := "raw"
				if asHeader {
					format = "header"
				}
				clip.ClearAfter = prefs().ClipboardClearAfter()
				if err := clip.Copy(ipc.FormatToken(*resp.Token, format)); err != nil {
					report("Could not copy", err)
					return
				}
				notify("Copied", tray.CopiedMessage(byID(id), resp.Token.Expiry, time.Now(), asHeader))
			}()
		},
		Refresh: func(id string) { go func() { report("Could not refresh", svc.M.RenewNow(ctx, id)) }() },
		SignIn: func(id string) {
			signCtx, cancel := context.WithCancel(ctx)
			pasted := make(chan string, 1)
			signIns.Store(id, signIn{cancel, pasted})
			go func() {
				defer signIns.Delete(id)
				defer cancel()
				err := svc.M.SignIn(signCtx, id, auth.SignInUI{OpenURL: svc.OpenURL, Pasted: pasted,
					ShowURL: func(u string) { notify("Open this address to sign in", u) }})
				if err != nil && !errors.Is(err, context.Canceled) {
					report("Sign-in did not finish", err)
				}
			}()
		},
		CancelSignIn: func(id string) {
			if s, ok := signIns.Load(id); ok {
				s.(signIn).cancel()
			}
		},
		Paste: func(id, text string) {
			if s, ok := signIns.Load(id); ok {
				select {
				case s.(signIn).pasted <- text:
				default:
				}
			}
		},
		Check: func(id string) (string, error) {
			who, err := svc.M.Check(ctx, id)
			return who.String(), err
		},
		AddAccount: func(name, kind string, settings, secrets map[string]string) error {
			if _, err := app.AddAccount(svc.Paths, svc.Store, name, kind, settings, secrets); err != nil {
				return err
			}
			return svc.Reload()
		},
		EditAccount: func(id, name string, settings, secrets map[string]string) error {
			if err := app.UpdateAccount(svc.Paths, svc.Store, id, name, settings, secrets); err != nil {
				return err
			}
			return svc.Reload()
		},
		RemoveAccount: func(id string) error {
			if err := svc.M.SignOut(ctx, id); err != nil {
				slog.Warn("could not sign out before removing", "err", err)
			}
			if err := app.RemoveAccount(svc.Paths, svc.Store, id); err != nil {
				return err
			}
			return svc.Reload()
		},
		SavePrefs: func(p tray.Prefs) error {
			on := p.Notifications
			prev := svc.Config().Settings
			if err := app.SavePreferences(svc.Paths, app.Preferences{ClipboardClear: p.ClipboardClear, MinValid: p.MinValid, Notifications: &on,
				RefreshMargin: prev.RefreshMargin}); err != nil {
				return err
			}
			return svc.Reload()
		},
		SignOut: func(id string) { go func() { report("Could not sign out", svc.M.SignOut(ctx, id)) }() },
		ActAs: func(id, user string) {
			go func() { report("Could not switch the OnSIP user", svc.M.ChooseUser(ctx, id, user)) }()
		},
		StartAtLogin: func(on bool) {
			report("Could not change start at login", autostart.Set(on))
			refresh()
		},
	})
	ui.SetState(state()) // on the main goroutine, before Run
	svc.M.Subscribe(func(app.Status) { refresh() })
	svc.Reloaded = func(*app.Config) { refresh() }
	svc.Show = func() { fyne.Do(ui.ShowAccounts) }
	svc.OpenURL = func(u string) error {
		if os.Getenv("BROWSER") != "" {
			return auth.OpenBrowser(u)
		}
		parsed, err := url.Parse(u)
		if err != nil {
			return err
		}
		return a.OpenURL(parsed)
	}
	go func() { // keep "valid for 52 min" true between state changes
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				refresh()
			}
		}
	}()
}

// signIn is a sign-in in progress from the tray or window: its cancel and where pastes go.
type signIn struct {
	cancel context.CancelFunc
	pasted chan string
}

// autostartExec is what start at login runs: the lean command beside this program if there is
// one (it starts this program), else this program.
func autostartExec() string {
	self, err := os.Executable()
	if err != nil {
		return "tokentray"
	}
	if lean := filepath.Join(filepath.Dir(self), "tokentray"); lean != self && fileExists(lean) {
		return lean
	}
	return self
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// trayAccounts is the manager's view of the accounts in the tray's terms.
func trayAccounts(m *app.Manager) []tray.Account {
	sts := m.Snapshot()
	out := make([]tray.Account, len(sts))
	for i, s := range sts {
		out[i] = tray.Account{ID: s.ID, Name: s.Name, Provider: s.Provider, State: s.State.String(), SigningIn: s.SigningIn, Expiry: s.Expiry,
			RefreshExpiry: s.RefreshExpiry, Session: s.Session, Identity: s.Identity.String(), Problem: s.Err()}
		if users, current, err := m.OnSIPUsers(s.ID); err == nil {
			for _, u := range users {
				out[i].Users = append(out[i].Users, tray.User{ID: u.UserID, Name: cmp.Or(u.Name, u.Email, u.UserID)})
			}
			out[i].CurrentUser = current
		}
	}
	return out
}
