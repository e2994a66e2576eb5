package resources

import _ "embed"

// The tray item's icons as Windows' notification area takes them: an .ico of each state at 16, 20,
// 24, 32 and 48 px (Windows draws 16 px at 100 % scaling, 20 at 125 %, 24 at 150 %, 32 at 200 %).
var (
	TrayNormal    = mustICO(normal16, normal20, normal24, normal32, NormalPNG)
	TrayAttention = mustICO(attention16, attention20, attention24, attention32, AttentionPNG)
	TrayBusy      = mustICO(busy16, busy20, busy24, busy32, BusyPNG)
)

var (
	//go:embed normal-16.png
	normal16 []byte
	//go:embed normal-20.png
	normal20 []byte
	//go:embed normal-24.png
	normal24 []byte
	//go:embed normal-32.png
	normal32 []byte
	//go:embed attention-16.png
	attention16 []byte
	//go:embed attention-20.png
	attention20 []byte
	//go:embed attention-24.png
	attention24 []byte
	//go:embed attention-32.png
	attention32 []byte
	//go:embed busy-16.png
	busy16 []byte
	//go:embed busy-20.png
	busy20 []byte
	//go:embed busy-24.png
	busy24 []byte
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
