package tests

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// BenchmarkIdleTray measures what the tray costs while it waits: tokentray with ten signed-in
// accounts, idle in the tray with no window, side by side with two reference programs built in
// the same run from this module's versions: fyne.io/systray alone (the floor of a Go tray item)
// and an empty Fyne app with a tray menu (what Tokentray was while it was one Fyne process). The
// three run at once, each with a tray host on a bus of its own, so they see the same machine. It
// reports each one's resident memory and CPU ticks over an idle minute, and the ratios the
// targets are stated in (RSS ≤ 3× systray's; CPU ≤ systray's + 1 tick a minute), as medians over
// the rounds (-benchtime 3x: three rounds).
func BenchmarkIdleTray(b *testing.B) {
	idle := time.Minute
	if d, err := time.ParseDuration(os.Getenv("TOKENTRAY_BENCH_IDLE")); err == nil {
		idle = d
	}
	systrayRef, fyneRef := buildReference(b, "refsystray"), buildReference(b, "reffyne")
	figures := map[string][]float64{}
	for b.Loop() {
		tray := tenAccounts(b)
		systray, fyne := startReference(b, systrayRef), startReference(b, fyneRef)
		pids := map[string]int{"tray": tray.app.cmd.Process.Pid, "systray": systray.Process.Pid, "fyne": fyne.Process.Pid}
		time.Sleep(5 * time.Second) // past start-up
		before := map[string]int{}
		for n, pid := range pids {
			before[n] = ticks(b, pid)
		}
		time.Sleep(idle)
		for n, pid := range pids {
			if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
				b.Fatalf("%s ended while idle", n)
			}
			figures[n+"-RSS-MiB"] = append(figures[n+"-RSS-MiB"], float64(rssKiB(b, pid))/1024)
			figures[n+"-ticks/min"] = append(figures[n+"-ticks/min"], float64(ticks(b, pid)-before[n])*float64(time.Minute)/float64(idle))
		}
		last := func(k string) float64 { return figures[k][len(figures[k])-1] }
		figures["tray/systray-RSS"] = append(figures["tray/systray-RSS"], last("tray-RSS-MiB")/last("systray-RSS-MiB"))
		figures["tray-systray-ticks/min"] = append(figures["tray-systray-ticks/min"], last("tray-ticks/min")-last("systray-ticks/min"))
		for _, p := range []*os.Process{tray.app.cmd.Process, systray.Process, fyne.Process} {
			_ = p.Kill() // the next round starts afresh
		}
	}
	for k, v := range figures { // medians over the rounds
		b.ReportMetric(medianOf(v), k)
	}
}

// startReference runs a reference program with a tray host on a bus of its own, until the
// benchmark ends, and returns it once its tray item is registered.
func startReference(b *testing.B, path string) *exec.Cmd {
	home := b.TempDir()
	bus := testenv.PrivateBus(b, home, false)
	w := testenv.StartWatcher(b, bus)
	cmd := exec.Command(path)
	cmd.Env = append(testenv.HomeEnv(home), "DBUS_SESSION_BUS_ADDRESS="+bus)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	w.WaitItem(b, 20*time.Second)
	return cmd
}

func medianOf(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkWindowOpen opens the accounts window from the tray menu, as a person does, and times
// the click to the window's first painted frame (a mapped window whose pixels are not all one
// colour), then measures both processes' memory with the window open, against the empty Fyne app
// showing an empty window. It closes the window between rounds: its process ends.
func BenchmarkWindowOpen(b *testing.B) {
	fyneRef := buildReference(b, "reffyne")
	tray := tenAccounts(b)
	var opens []time.Duration
	var both []float64
	for b.Loop() {
		items := tray.w.Menu(b, tray.dest, tray.path)
		accounts, ok := testenv.Find(items, "Accounts…")
		if !ok {
			b.Fatalf("no Accounts… in %v", testenv.Labels(items))
		}
		start := time.Now()
		tray.w.Click(b, tray.dest, accounts.ID)
		win := firstFrame(b, "Tokentray", 10*time.Second)
		opens = append(opens, time.Since(start))
		time.Sleep(2 * time.Second) // drawn, settled
		both = append(both, float64(treeRSSKiB(b, tray.app.cmd.Process.Pid))/1024)
		_ = exec.Command("xdotool", "windowclose", win).Run()
		eventually(b, 10*time.Second, "the window's process to end", func() bool {
			return len(descendants(tray.app.cmd.Process.Pid)) == 0
		})
	}
	// the reference: an empty Fyne window
	home := b.TempDir()
	cmd := exec.Command(fyneRef, "-window")
	cmd.Env = append(testenv.HomeEnv(home), "DBUS_SESSION_BUS_ADDRESS="+testenv.PrivateBus(b, home, false))
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	firstFrame(b, "reference", 10*time.Second)
	refOpen := time.Since(start)
	time.Sleep(2 * time.Second)
	b.ReportMetric(float64(median(opens).Milliseconds()), "open-to-frame-ms-median")
	b.ReportMetric(float64(refOpen.Milliseconds()), "fyne-start-to-frame-ms")
	b.ReportMetric(medianOf(both), "tray+window-RSS-MiB")
	b.ReportMetric(float64(rssKiB(b, cmd.Process.Pid))/1024, "fyne-window-RSS-MiB")
}

// trayEnv is the app with ten signed-in accounts, idle in a tray host.
type trayEnv struct {
	*cliEnv
	w    *testenv.Watcher
	dest string
	path dbus.ObjectPath
	fake *fakeidp.Server
}

func tenAccounts(b testing.TB) *trayEnv {
	b.Helper()
	fake := fakeidp.Start(fakeidp.Avaya)
	b.Cleanup(fake.Close)
	e := newCLIEnv(b)
	w := testenv.StartWatcher(b, e.bus)
	for i := range 10 {
		e.addAvaya(fmt.Sprintf("account-%02d", i+1), fake)
	}
	e.startApp()
	b.Cleanup(func() {
		if b.Failed() {
			b.Logf("the app's log:\n%s", readLog(b, e.home))
		}
	})
	for i := range 10 {
		e.must(0, "", "login", fmt.Sprintf("account-%02d", i+1))
	}
	dest, path := w.WaitItem(b, 20*time.Second)
	return &trayEnv{cliEnv: e, w: w, dest: dest, path: path, fake: fake}
}

// buildReference builds a reference program of tests/testdata with this module's versions.
func buildReference(b *testing.B, name string) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), name)
	cmd := exec.Command("go", "build", "-o", out, "./tests/testdata/"+name)
	cmd.Dir = ".."
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building %s: %v\n%s", name, err, msg)
	}
	return out
}

// firstFrame waits for a visible window named title whose pixels are not all one colour, and
// returns its id.
func firstFrame(b *testing.B, title string, within time.Duration) string {
	b.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^"+title+"$").Output()
		if ids := strings.Fields(string(out)); len(ids) > 0 {
			if shot, err := exec.Command("import", "-window", ids[0], "png:-").Output(); err == nil && painted(shot) {
				return ids[0]
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.Fatalf("no painted window %q within %s", title, within)
	return ""
}

func painted(shot []byte) bool {
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return false
	}
	r := img.Bounds()
	colours := map[[4]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y += 4 {
		for x := r.Min.X; x < r.Max.X; x += 4 {
			c := colourAt(img, x, y)
			colours[c] = true
			if len(colours) > 2 {
				return true
			}
		}
	}
	return false
}

func colourAt(img image.Image, x, y int) [4]uint32 {
	r, g, bl, a := img.At(x, y).RGBA()
	return [4]uint32{r, g, bl, a}
}

// ticks is the CPU time (user + system, in clock ticks) a process and its live children used.
func ticks(b *testing.B, pid int) int {
	b.Helper()
	total := 0
	for _, p := range append([]int{pid}, descendants(pid)...) {
		f := statFields(p)
		if len(f) < 15 {
			continue
		}
		u, _ := strconv.Atoi(f[13])
		s, _ := strconv.Atoi(f[14])
		total += u + s
	}
	return total
}

// rssKiB is one process's resident memory; treeRSSKiB adds its children's.
func rssKiB(b *testing.B, pid int) int {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatalf("process %d: %v", pid, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.Fields(rest)[0])
			return n
		}
	}
	return 0
}

func treeRSSKiB(b *testing.B, pid int) int {
	total := rssKiB(b, pid)
	for _, c := range descendants(pid) {
		total += rssKiB(b, c)
	}
	return total
}

// descendants are the live processes below pid.
func descendants(pid int) []int {
	parent := map[int]int{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		p, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if f := statFields(p); len(f) > 3 {
			pp, _ := strconv.Atoi(f[3])
			parent[p] = pp
		}
	}
	var out []int
	for p := range parent {
		for q := parent[p]; q > 1; q = parent[q] {
			if q == pid {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// statFields is /proc/pid/stat split into fields, the command name (which may hold spaces) as one.
func statFields(pid int) []string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(data)
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return nil
	}
	return append([]string{s[:open-1], s[open+1 : close]}, strings.Fields(s[close+1:])...)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
