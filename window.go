//go:build window

package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"tokentray/app/ipc"
	"tokentray/resources"
	"tokentray/tray/window"
)

// main is tokentray-window: the accounts window, a Fyne app of its own, which the always-on app
// starts when the window is asked for and which ends when the person closes it. It talks to the
// app through its socket (given with --socket).
func main() {
	// The window lives while a person looks at it, and its heap is mostly Fyne's caches: a
	// tighter garbage collector keeps it small (~20 MiB less resident) at no visible cost.
	debug.SetGCPercent(50)
	socket := flag.String("socket", ipc.SocketPath(), "the app's socket")
	flag.Parse()
	if why := noDisplay(); why != "" {
		fmt.Fprintln(os.Stderr, "tokentray-window: the accounts window cannot open: "+why+".")
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	core, err := ipc.Connect(ctx, *socket)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "tokentray-window: could not reach Tokentray: %v\n", err)
		os.Exit(1)
	}
	build, _ := strconv.Atoi(details("Build"))
	fyneapp.SetMetadata(fyne.AppMetadata{ID: details("ID"), Name: details("Name"), Version: details("Version"), Build: build})
	a := fyneapp.NewWithID(details("ID"))
	a.SetIcon(fyne.NewStaticResource("tokentray.svg", resources.NormalSVG))
	w := window.New(a, core, func(u string) error {
		parsed, err := url.Parse(u)
		if err != nil {
			return err
		}
		return a.OpenURL(parsed)
	})
	go func() { // the app went away: so does its window
		<-core.Gone()
		fyne.Do(a.Quit)
	}()
	w.Start()
	w.Show()
	a.Run()
}
