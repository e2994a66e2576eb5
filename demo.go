package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"tokentray/app/config"
	"tokentray/app/model"

	"github.com/google/uuid"

	"tokentray/app/ipc"
	"tokentray/app/ipc/jsoncodec"
	"tokentray/auth"
	"tokentray/auth/fakeidp"
)

// demoKeyring is demo mode's keyring service: its secrets never mix with the real ones.
const demoKeyring = "tokentray-demo"

// runDemo starts the fake providers in this process on loopback, makes one ready account per
// provider kind in a config dir of its own, and runs the tray app on them. Tokens live two minutes,
// so a refresh can be watched; everything is removed when the demo ends.
func runDemo(debug bool, stderr io.Writer) int {
	dir, err := os.MkdirTemp("", "tokentray-demo-")
	if err != nil {
		fmt.Fprintf(stderr, "tokentray: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	store := auth.NewKeyring(demoKeyring)
	_ = store.DeleteService() // a previous demo's leftovers
	defer store.DeleteService()
	// The demo answers on the usual socket, so that `tokentray token "Demo Avaya"` from another
	// terminal reaches it; with the real app running, on one of its own, and says how to reach it.
	socket, command := ipc.SocketPath(), `tokentray token "Demo Avaya"`
	running := ipc.Caller{Codec: jsoncodec.Codec{}}
	if _, err := running.Call(context.Background(), ipc.Request{Op: ipc.OpList}, 2*time.Second, nil); !errors.Is(err, ipc.ErrNotRunning) {
		run := filepath.Join(dir, "run")
		socket, command = filepath.Join(run, "tokentray.sock"), "TOKENTRAY_RUNTIME_DIR="+run+` tokentray token "Demo Avaya"`
	}

	n2p, avaya, oidc, onsip := fakeidp.Start(fakeidp.Net2Phone), fakeidp.Start(fakeidp.Avaya), fakeidp.Start(fakeidp.OIDC), fakeidp.StartOnSIP()
	defer n2p.Close()
	defer avaya.Close()
	defer oidc.Close()
	defer onsip.Close()
	for _, f := range []*fakeidp.Server{n2p, avaya, oidc} {
		f.Tune(func(s *fakeidp.Server) { s.AccessTTL = 2 * time.Minute })
	}
	onsip.IdleTimeout = 3 * time.Minute

	cfg := &config.Config{Version: config.ConfigVersion}
	add := func(name, kind string, settings map[string]string, secret string) error {
		a := config.Account{ID: model.AccountID(uuid.NewString()), Name: name, Provider: kind, Settings: settings}
		if secret != "" {
			if err := store.Set(string(a.ID), "client_secret", secret); err != nil {
				return err
			}
		}
		cfg.Accounts = append(cfg.Accounts, a)
		return nil
	}
	onsipSettings := onsip.Settings("slack")
	onsipSettings["probe_interval"] = "1m"
	for _, err := range []error{
		add("Demo Net2Phone", "net2phone", n2p.Settings(), n2p.ClientSecret),
		add("Demo Avaya", "avaya", avaya.Settings(), avaya.ClientSecret),
		add("Demo OnSIP", "onsip", onsipSettings, ""),
		add("Demo OpenID", "oidc", oidc.Settings(), ""),
	} {
		if err != nil {
			fmt.Fprintf(stderr, "tokentray demo: the demo keeps its secrets in the system keyring, which did not work: %v\n", err)
			return 1
		}
	}
	paths := config.Paths{Config: filepath.Join(dir, "accounts.toml"), Log: filepath.Join(dir, "tokentray.log")}
	if err := config.SaveConfig(paths.Config, cfg); err != nil {
		fmt.Fprintf(stderr, "tokentray demo: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "Tokentray demo: four demo accounts backed by fake providers on this machine.\n"+
		"Sign in from the tray (or the Accounts window): your browser shows each fake's Allow/Deny page.\n"+
		"Tokens live 2 minutes, so you can watch them renew. Quit the demo to remove everything.\n")
	fmt.Fprintf(stderr, "From another terminal: %s\n", command)
	return runTray(trayOptions{paths: paths, keyring: demoKeyring, socket: socket, debug: debug, demo: true, command: command}, stderr)
}
