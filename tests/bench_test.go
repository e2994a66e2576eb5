package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"tokentray/auth/fakeidp"
)

// BenchmarkTokenCommand times the whole `tokentray token NAME` process for a cached token with the
// app running, against a hello-world Go program built in the same run, alternating the two so that
// both see the same machine load. It reports each one's median and p95 and the ratio of medians;
// the whole program answering the same command (tokentray-tray, which links the core) is timed too.
func BenchmarkTokenCommand(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o644)
	hello := filepath.Join(dir, "hello")
	build := exec.Command("go", "build", "-o", hello, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building hello-world: %v\n%s", err, out)
	}

	fake := fakeidp.Start(fakeidp.Avaya)
	defer fake.Close()
	e := newCLIEnv(b)
	e.addAvaya("bench", fake)
	p, _ := e.startApp()
	e.must(0, "", "login", "bench")
	defer func() { _ = p.cmd.Process.Kill() }()

	timeIt := func(path string, args ...string) time.Duration {
		c := exec.Command(path, args...)
		c.Env = e.env()
		start := time.Now()
		if err := c.Run(); err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		return time.Since(start)
	}
	whole := filepath.Join(filepath.Dir(binary(e.t)), "tokentray-tray")
	var tok, hw, full []time.Duration
	for b.Loop() {
		hw = append(hw, timeIt(hello))
		tok = append(tok, timeIt(binary(e.t), "token", "bench"))
		full = append(full, timeIt(whole, "token", "bench"))
	}
	med := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Microseconds()) / 1000
	}
	p95 := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)*95/100].Microseconds()) / 1000
	}
	b.ReportMetric(med(tok), "token-ms-median")
	b.ReportMetric(p95(tok), "token-ms-p95")
	b.ReportMetric(med(hw), "hello-ms-median")
	b.ReportMetric(p95(hw), "hello-ms-p95")
	b.ReportMetric(med(tok)/med(hw), "token/hello")
	b.ReportMetric(med(full), "whole-program-ms-median")
}
