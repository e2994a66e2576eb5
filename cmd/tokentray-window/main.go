// Command tokentray-window is the accounts window: a Fyne app of its own, which the always-on app
// (tokentray-tray) starts when the window is asked for and which ends when the person closes it,
// so that Fyne's driver runs only while a window is on screen. It talks to the app through its
// socket (given with --socket), through app/client.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"tokentray/app/about"
	"tokentray/app/client"
	"tokentray/app/ipc"
	"tokentray/resources"
	"tokentray/tray/display"
	"tokentray/tray/window"
)

// main is the window: the accounts window of a person who asked for it, started by the app.
func main() {
	// The window lives while a person looks at it, and its heap is mostly Fyne's caches: a
	// tighter garbage collector keeps it small (~20 MiB less resident) at no visible cost.
	debug.SetGCPercent(50)
	socket := flag.String("socket", ipc.SocketPath(), "the app's socket")
	flag.Parse()
	if why := display.Missing(); why != "" {
		fmt.Fprintln(os.Stderr, "tokentray-window: the accounts window cannot open: "+why+".")
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	core, err := client.Connect(ctx, *socket)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "tokentray-window: could not reach Tokentray: %v\n", err)
		os.Exit(1)
	}
	fyneapp.SetMetadata(fyne.AppMetadata{ID: about.ID, Name: about.Name, Version: about.Version, Build: about.Build})
	a := fyneapp.NewWithID(about.ID)
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
