package resources

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// An .ico made of PNGs reads back as the same images, each entry saying its size, and the
// installer's icon (packaging/windows/tokentray.ico) is the normal state's at every size.
func TestICOHoldsEachPNG(t *testing.T) {
	var pngs [][]byte
	for _, size := range []string{"16", "24", "32", "48", "256"} {
		b, err := os.ReadFile(filepath.Join("..", "packaging", "icons", "normal-"+size+".png"))
		if err != nil {
			t.Fatal(err)
		}
		pngs = append(pngs, b)
	}
	ico, err := ICO(pngs...)
	if err != nil {
		t.Fatal(err)
	}
	if h := [3]uint16{binary.LittleEndian.Uint16(ico), binary.LittleEndian.Uint16(ico[2:]), binary.LittleEndian.Uint16(ico[4:])}; h != [3]uint16{0, 1, 5} {
		t.Fatalf("header %v, want an icon of 5 images", h)
	}
	for i, want := range []int{16, 24, 32, 48, 256} {
		e := ico[6+16*i:]
		size, off := binary.LittleEndian.Uint32(e[8:]), binary.LittleEndian.Uint32(e[12:])
		img, err := png.Decode(bytes.NewReader(ico[off : off+size]))
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if w := img.Bounds().Dx(); w != want || int(e[0]) != want%256 || e[0] != e[1] {
			t.Errorf("entry %d: a %d px image said as %d×%d, want %d", i, w, e[0], e[1], want)
		}
	}
	kept, err := os.ReadFile(filepath.Join("..", "packaging", "windows", "tokentray.ico"))
	if *write {
		err = os.WriteFile(filepath.Join("..", "packaging", "windows", "tokentray.ico"), ico, 0o644)
	} else if err == nil && !bytes.Equal(kept, ico) {
		t.Error("packaging/windows/tokentray.ico is not the normal icon's PNGs (run make icons)")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, []byte("GIF89a"), pngs[0][:20]} {
		if _, err := ICO(bad); err == nil {
			t.Errorf("ICO took %q", bad)
		}
	}
}
