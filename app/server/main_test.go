package server

import (
	"log/slog"
	"os"
	"testing"

	"tokentray/app/logging"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(logging.NewRedactingHandler(serverLogs.Handler())))
	os.Exit(serverLogs.Verdict(m.Run()))
}
