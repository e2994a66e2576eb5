// An empty Fyne app with a tray menu and no window (app.New + SetSystemTrayMenu), for make bench:
// what Tokentray's single Fyne process cost before the window moved to a process of its own.
// With -window it shows an empty window titled "reference" instead.
package main

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("net.tokentray.reference")
	if d, ok := a.(desktop.App); ok {
		d.SetSystemTrayMenu(fyne.NewMenu("reference", fyne.NewMenuItem("Hello", func() {})))
	}
	if len(os.Args) > 1 && os.Args[1] == "-window" {
		w := a.NewWindow("reference")
		w.SetContent(widget.NewLabel("An empty Fyne window"))
		w.Resize(fyne.NewSize(800, 600))
		w.Show()
	}
	a.Run()
}
