package words

import (
	"strings"
	"testing"
	"time"

	"tokentray/app/model"
)

// What a provider or a token's claims hold reaches a terminal without its escape sequences.
func TestTerminalSafe(t *testing.T) {
	if got := TerminalSafe("a\x1b]0;pwned\x07b\u202ec\n\td"); got != "a\ufffd]0;pwned\ufffdb\ufffdc\n\td" {
		t.Fatalf("%q", got)
	}
	text := InspectionText(model.Inspection{Account: "x", Format: "jwt", Claims: map[string]any{"iss": "evil\x1b[2J"}}, time.Now())
	if strings.Contains(text, "\x1b") {
		t.Fatalf("an escape sequence in the inspection:\n%q", text)
	}
}
