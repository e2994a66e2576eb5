// Package resources holds Tokentray's icons, bundled into the binary: the three tray states as
// SVG (sharp at every size, for the window and packaging) and as 48-pixel PNG (for the tray item,
// which a panel scales). It imports no GUI toolkit.
package resources

import _ "embed"

// The tray icon's three states: normal (every account is fine; also the application icon),
// attention (some account needs the user: sign-in required, expired) and busy (a sign-in waits).
var (
	//go:embed normal.svg
	NormalSVG []byte
	//go:embed attention.svg
	AttentionSVG []byte
	//go:embed busy.svg
	BusySVG []byte

	//go:embed normal.png
	NormalPNG []byte
	//go:embed attention.png
	AttentionPNG []byte
	//go:embed busy.png
	BusyPNG []byte
)
