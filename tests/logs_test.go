package tests

import (
	"fmt"
	"log/slog"
	"os"
	"testing"

	"tokentray/app"
	"tokentray/tests/testenv"
)

// logs captures this package's whole log, as the app writes it (through the redacting handler);
// TestMain fails the run if any token a fake issued appears in it.
var logs testenv.LogCapture

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(app.NewRedactingHandler(logs.Handler())))
	code := m.Run()
	if leaks, checked := logs.Leaks(); len(leaks) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the log shows %d of the %d tokens the fakes issued: %v\n", len(leaks), checked, leaks)
		code = 1
	} else {
		fmt.Printf("log check: none of the %d tokens the fakes issued appears in the log\n", checked)
	}
	os.Exit(code)
}
