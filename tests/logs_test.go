package tests

import (
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"tokentray/app/logging"

	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// logs captures this package's whole log, as the app writes it (through the redacting handler);
// TestMain fails the run if any token a fake issued appears in it.
var logs testenv.LogCapture

func TestMain(m *testing.M) {
	if sock := os.Getenv("TOKENTRAY_IDLE_CLIENT"); sock != "" {
		idleClient(sock, 8, 0) // a program holding connections that send nothing (make bench)
	}
	if sock := os.Getenv("TOKENTRAY_SLOW_CLIENT"); sock != "" {
		idleClient(sock, 1, time.Second) // a client sending a byte a second (make bench)
	}
	// As $BROWSER for the binaries under test, this test binary is a person clicking on the
	// provider's consent page.
	if d := os.Getenv("TOKENTRAY_TEST_BROWSER"); d != "" {
		if d == "slow" { // a person who takes a few seconds to click Allow
			time.Sleep(4 * time.Second)
		}
		if err := fakeidp.Click(os.Args[len(os.Args)-1], d != "deny"); err != nil {
			fmt.Fprintln(os.Stderr, "test browser:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if addr := os.Getenv("TOKENTRAY_HOLD_TCP"); addr != "" {
		holdTCP(addr) // another user waiting for a sign-in's redirect
		return
	}
	if sock := os.Getenv("TOKENTRAY_SPOOF_SOCKET"); sock != "" {
		spoofApp(sock) // another user posing as Tokentray
		return
	}
	slog.SetDefault(slog.New(logging.NewRedactingHandler(logs.Handler())))
	code := m.Run()
	os.Exit(logs.Verdict(code))
}
