package resources

import _ "embed"

// The tray item's icons as Windows' notification area takes them: an .ico of each state at 16, 32
// and 48 px (Windows draws 16 px at 100 % scaling, 32 at 200 %).
var (
	TrayNormal    = mustICO(normal16, normal32, NormalPNG)
	TrayAttention = mustICO(attention16, attention32, AttentionPNG)
	TrayBusy      = mustICO(busy16, busy32, BusyPNG)
)

var (
	//go:embed normal-16.png
	normal16 []byte
	//go:embed normal-32.png
	normal32 []byte
	//go:embed attention-16.png
	attention16 []byte
	//go:embed attention-32.png
	attention32 []byte
	//go:embed busy-16.png
	busy16 []byte
	//go:embed busy-32.png
	busy32 []byte
)

func mustICO(pngs ...[]byte) []byte {
	b, err := ICO(pngs...)
	if err != nil {
		panic(err) // the embedded PNGs are checked by TestTrayPNGsAreTheSVGs
	}
	return b
}
