package fakeidp

import (
	"io/fs"
	"strings"
	"testing"
)

// The fakes' answers are their samples with values changed: parsed and rendered again, each
// sample gives back its own bytes, so the renderer adds, drops and reorders nothing.
func TestSeedsRenderAsThemselves(t *testing.T) {
	names, _ := fs.Glob(seed, "seed/onsip-*")
	if len(names) < 8 {
		t.Fatalf("only %d OnSIP samples", len(names))
	}
	for _, name := range names {
		name = strings.TrimPrefix(name, "seed/")
		b := string(Seed(name))
		var got string
		switch {
		case name == "onsip-exception.xml":
			continue // served as it is
		case strings.HasSuffix(name, ".xml"):
			got = renderXML(parseXML([]byte(b)))
		default:
			got = renderJSON(parseJSON([]byte(b)))
			b = strings.TrimSuffix(b, "\n")
		}
		if got != b {
			t.Errorf("%s does not render as itself:\n got %q\nwant %q", name, got, b)
		}
	}
}
