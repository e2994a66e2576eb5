//go:build !windows

package resources

// The tray item's icons as the system's tray takes them: the 48-pixel PNG, which a panel scales.
var (
	TrayNormal    = NormalPNG
	TrayAttention = AttentionPNG
	TrayBusy      = BusyPNG
)
