// The floor of a Go tray item: fyne.io/systray alone with Tokentray's icon and a short menu, for
// make bench to measure Tokentray against (it is what Fyne's own tray is built on).
package main

import (
	"fyne.io/systray"

	"tokentray/resources"
)

func main() {
	systray.Run(func() {
		systray.SetIcon(resources.NormalPNG)
		systray.SetTooltip("reference")
		systray.AddMenuItem("Hello", "")
		quit := systray.AddMenuItem("Quit", "")
		go func() { <-quit.ClickedCh; systray.Quit() }()
	}, func() {})
}
