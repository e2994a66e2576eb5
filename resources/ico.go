package resources

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// ICO makes an .ico file of PNG images, one entry each, as Windows (Vista and later) reads them:
// the icon of Windows' notification area and of the installer are .ico files, and Windows picks
// the entry of the size it draws.
func ICO(pngs ...[]byte) ([]byte, error) {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, [3]uint16{0, 1, uint16(len(pngs))}) // reserved, type icon, count
	off := 6 + 16*len(pngs)
	for _, p := range pngs {
		w, h, err := pngSize(p)
		if err != nil {
			return nil, err
		}
		// width, height (0 is 256), colours, reserved, planes, bits per pixel, size, offset
		b.Write([]byte{byte(w), byte(h), 0, 0})
		_ = binary.Write(&b, binary.LittleEndian, [2]uint16{1, 32})
		_ = binary.Write(&b, binary.LittleEndian, [2]uint32{uint32(len(p)), uint32(off)})
		off += len(p)
	}
	for _, p := range pngs {
		b.Write(p)
	}
	return b.Bytes(), nil
}

// pngSize reads a PNG's size from its header (IHDR, which the signature is followed by).
func pngSize(p []byte) (w, h int, err error) {
	if len(p) < 24 || string(p[:8]) != "\x89PNG\r\n\x1a\n" || string(p[12:16]) != "IHDR" {
		return 0, 0, fmt.Errorf("not a PNG")
	}
	w, h = int(binary.BigEndian.Uint32(p[16:])), int(binary.BigEndian.Uint32(p[20:]))
	if w < 1 || w > 256 || h < 1 || h > 256 {
		return 0, 0, fmt.Errorf("a PNG of %d×%d: an icon is 1 to 256 pixels a side", w, h)
	}
	return w, h, nil
}
