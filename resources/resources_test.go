package resources

import (
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"
)

var write = flag.Bool("write", false, "write the rendered PNGs to ../packaging/icons (make icons)")

// render draws res at size×size pixels with Fyne's own rasteriser, as the tray does.
func render(res fyne.Resource, size int) image.Image {
	c := software.NewTransparentCanvas()
	c.SetPadded(false)
	c.SetContent(canvas.NewImageFromResource(res))
	c.SetScale(1)
	c.Resize(fyne.NewSquareSize(float32(size)))
	return c.Capture()
}

// TestIconsRenderAtEveryTraySize renders the three states at the sizes panels use and checks that
// each is a full, opaque tile and that the states differ where the badge is, so that a panel can
// tell them apart even at 16 px. With -write it also writes the PNGs used for packaging.
func TestIconsRenderAtEveryTraySize(t *testing.T) {
	test.NewTempApp(t)
	icons := map[string]fyne.Resource{"normal": fyne.NewStaticResource("normal.svg", NormalSVG),
		"attention": fyne.NewStaticResource("attention.svg", AttentionSVG), "busy": fyne.NewStaticResource("busy.svg", BusySVG)}
	for _, size := range []int{16, 20, 22, 24, 32, 48, 256} {
		imgs := map[string]image.Image{}
		for name, res := range icons {
			img := render(res, size)
			if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
				t.Fatalf("%s at %d px rendered as %v", name, size, b)
			}
			if _, _, _, a := img.At(size/2, size/2).RGBA(); a < 0xff00 {
				t.Errorf("%s at %d px: the centre is not opaque", name, size)
			}
			imgs[name] = img
			if *write {
				writePNG(t, filepath.Join("..", "packaging", "icons", name+"-"+itoa(size)+".png"), img)
				switch size {
				case 48: // the tray item's
					writePNG(t, name+".png", img)
				case 16, 20, 24, 32: // with it, Windows' tray icon (tray_windows.go)
					writePNG(t, name+"-"+itoa(size)+".png", img)
				}
			}
		}
		// The badge corner (top right) differs between the three states.
		x, y := size*27/32, size*5/32
		n, a, b := imgs["normal"].At(x, y), imgs["attention"].At(x, y), imgs["busy"].At(x, y)
		if n == a || n == b || a == b {
			t.Errorf("at %d px the three states look the same at the badge (%v %v %v)", size, n, a, b)
		}
	}
}

func writePNG(t *testing.T, path string, img image.Image) {
	_ = os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// The tray item's PNGs are the renderings of the SVGs (packaging/icons, made by make icons).
func TestTrayPNGsAreTheSVGs(t *testing.T) {
	for name, b := range map[string][]byte{"normal": NormalPNG, "attention": AttentionPNG, "busy": BusyPNG} {
		want, err := os.ReadFile(filepath.Join("..", "packaging", "icons", name+"-48.png"))
		if err != nil || string(want) != string(b) {
			t.Errorf("%s.png is not packaging/icons/%s-48.png (run make icons): %v", name, name, err)
		}
		for _, size := range []string{"16", "20", "24", "32"} {
			want, err := os.ReadFile(filepath.Join("..", "packaging", "icons", name+"-"+size+".png"))
			got, gerr := os.ReadFile(name + "-" + size + ".png")
			if err != nil || gerr != nil || string(want) != string(got) {
				t.Errorf("%s-%s.png is not packaging/icons/%s-%s.png (run make icons): %v %v", name, size, name, size, err, gerr)
			}
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
