package app

import (
	"log/slog"
	"os"
	"testing"

	"tokentray/app/logging"
	"tokentray/tests/testenv"
)

// Every test's log goes to one capture through the redacting handler; TestMain then checks that no
// token any fake issued appears in it.
var logs testenv.LogCapture

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(logging.NewRedactingHandler(logs.Handler())))
	os.Exit(logs.Verdict(m.Run()))
}
