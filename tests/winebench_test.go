package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tokentray/auth/fakeidp"
)

// BenchmarkTokenCommandUnderWine times `tokentray.exe token NAME` with the app running under Wine
// (the named pipe's round trip and the lean command's start) against a hello-world Go program
// built for Windows in the same run, alternating them. Wine's own start dominates both; the ratio
// of medians is what Tokentray adds.
func BenchmarkTokenCommandUnderWine(b *testing.B) {
	e := newWinEnv(b)
	dir := b.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o644)
	hello := filepath.Join(dir, "hello.exe")
	build := exec.Command("go", "build", "-o", hello, ".")
	build.Dir, build.Env = dir, append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building hello-world: %v\n%s", err, out)
	}
	n2p := fakeidp.Start(fakeidp.Net2Phone)
	defer n2p.Close()
	n2p.Tune(func(s *fakeidp.Server) { s.AccessTTL = 3 * time.Hour })
	e.must(0, n2p.ClientSecret+"\n", "add", "bench", "--provider", "net2phone", "--set", "grant=client_credentials",
		"--set", "client_id="+n2p.ClientID, "--set", "base_url="+n2p.Settings()["base_url"], "--secret", "client_secret", "--secret-stdin")
	app := e.w.Command(filepath.Join(e.bin, "tokentray-tray.exe"))
	if err := app.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = app.Process.Kill(); _ = app.Wait() }()
	logPath := filepath.Join(e.localAppData(), "Tokentray", "Logs", "tokentray.log")
	eventually(b, 60*time.Second, "the app's start", func() bool { l, _ := os.ReadFile(logPath); return strings.Contains(string(l), "msg=starting") })
	e.must(0, "", "token", "bench") // the app holds the token from here

	timeIt := func(exe string, args ...string) time.Duration {
		c := e.w.Command(exe, args...)
		start := time.Now()
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v %s", exe, err, out)
		}
		return time.Since(start)
	}
	lean := filepath.Join(e.bin, "tokentray.exe")
	var hw, tok []time.Duration
	for b.Loop() {
		hw = append(hw, timeIt(hello))
		tok = append(tok, timeIt(lean, "token", "bench"))
	}
	b.ReportMetric(med(tok), "token-ms-median")
	b.ReportMetric(p95(tok), "token-ms-p95")
	b.ReportMetric(med(hw), "hello-ms-median")
	b.ReportMetric(med(tok)/med(hw), "token/hello")
}
