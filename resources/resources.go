// Package resources holds Tokentray's icons, bundled into the binary.
package resources

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

var (
	//go:embed normal.svg
	normalSVG []byte
	//go:embed attention.svg
	attentionSVG []byte
	//go:embed busy.svg
	busySVG []byte
)

// The tray icon's three states, drawn for Tokentray as SVG so they stay sharp at every panel size.
var (
	// IconNormal is the tray icon when every account is fine. It is also the application icon.
	IconNormal = fyne.NewStaticResource("tokentray.svg", normalSVG)
	// IconAttention is the tray icon when some account needs the user (sign-in required, expired).
	IconAttention = fyne.NewStaticResource("tokentray-attention.svg", attentionSVG)
	// IconBusy is the tray icon while a sign-in is in progress.
	IconBusy = fyne.NewStaticResource("tokentray-busy.svg", busySVG)
)
