package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tokentray/auth/fakeidp"
	"tokentray/auth/fakeidp/faults"
	"tokentray/tests/testenv"
)

// TestSoak runs the app for $TOKENTRAY_SOAK (make soak: an hour) with 40 accounts, 10 of every
// kind (Net2Phone by code and by client credentials, Avaya, an OpenID issuer, OnSIP by Slack and by
// password), whose credentials live 20 seconds, while every provider fails for three minutes in
// every ten: 5xx, then connections reset, then garbage, then slow answers. Commands ask for tokens
// throughout. At the end no grant may be lost, the app's memory and open files must not have grown
// with time, and no account may have been notified more than once per time it changed. It prints
// the figures. Not part of make test.
func TestSoak(t *testing.T) {
	length, err := time.ParseDuration(os.Getenv("TOKENTRAY_SOAK"))
	if err != nil {
		t.Skip("skipped: TOKENTRAY_SOAK (a duration) is not set; make soak sets it")
	}
	e := newCLIEnv(t)
	testenv.StartWatcher(t, e.bus)
	notes := testenv.StartNotifications(t, e.bus)
	n2p, avaya, oidc, onsip := fakeidp.Start(fakeidp.Net2Phone), fakeidp.Start(fakeidp.Avaya), fakeidp.Start(fakeidp.OIDC), fakeidp.StartOnSIP()
	fakes := []*fakeidp.Server{n2p, avaya, oidc}
	for _, f := range fakes {
		t.Cleanup(f.Close)
		logs.Track(f.Issued)
		f.Tune(func(s *fakeidp.Server) { s.AccessTTL = 20 * time.Second })
	}
	t.Cleanup(onsip.Close)
	logs.Track(onsip.Issued)
	onsip.IdleTimeout = time.Minute

	var names []string
	add := func(name, kind string, settings map[string]string, secretKey, secret string) {
		e.add(name, kind, settings, secretKey, secret)
		names = append(names, name)
	}
	for i := range 5 {
		add(fmt.Sprintf("n2p-code-%d", i), "net2phone", n2p.Settings(), "client_secret", n2p.ClientSecret)
		cc := n2p.Settings()
		cc["grant"] = "client_credentials"
		add(fmt.Sprintf("n2p-cc-%d", i), "net2phone", cc, "client_secret", n2p.ClientSecret)
		slack := onsip.Settings("slack")
		slack["probe_interval"] = "20s"
		add(fmt.Sprintf("onsip-slack-%d", i), "onsip", slack, "", "")
		pw := onsip.Settings("password")
		pw["probe_interval"] = "20s"
		add(fmt.Sprintf("onsip-pw-%d", i), "onsip", pw, "password", onsip.Password)
	}
	for i := range 10 {
		add(fmt.Sprintf("avaya-%d", i), "avaya", avaya.Settings(), "client_secret", avaya.ClientSecret)
		add(fmt.Sprintf("oidc-%d", i), "oidc", oidc.Settings(), "", "")
	}
	p, _ := e.startApp()
	for _, n := range names {
		if !strings.HasPrefix(n, "n2p-cc") {
			e.must(0, "", "login", n)
		}
	}

	// The providers fail for three minutes in every ten, from the second minute of each ten.
	type window struct{ from, to time.Time }
	var windows []window
	start := time.Now()
	faultAt := func(at time.Time, f *faults.Fault, o *faults.OnSIPFault) {
		time.Sleep(time.Until(at))
		for _, s := range fakes {
			faults.Set(s, f)
		}
		faults.SetOnSIP(onsip, o)
	}
	for cycle := start; ; cycle = cycle.Add(10 * time.Minute) {
		at := cycle.Add(2 * time.Minute)
		if at.Add(3 * time.Minute).After(start.Add(length - 2*time.Minute)) {
			break // the last minutes stay clear, for the end's checks
		}
		windows = append(windows, window{at, at.Add(3 * time.Minute)})
	}
	go func() {
		for _, w := range windows {
			faultAt(w.from, &faults.Fault{Status: 503}, &faults.OnSIPFault{Kind: "5xx"})
			faultAt(w.from.Add(45*time.Second), &faults.Fault{Reset: true}, &faults.OnSIPFault{Kind: "exception"})
			faultAt(w.from.Add(90*time.Second), &faults.Fault{Malformed: true}, &faults.OnSIPFault{Kind: "html"})
			faultAt(w.from.Add(135*time.Second), &faults.Fault{Delay: 5 * time.Second}, &faults.OnSIPFault{Kind: "truncated"})
			faultAt(w.to, nil, nil)
		}
	}()

	// Commands ask for a token every few seconds; the app's memory and open files are sampled.
	type sample struct {
		at       time.Duration
		rssKiB   int
		openFDs  int
		failures int
	}
	var samples []sample
	asked, failed, failedClear := 0, 0, 0
	inWindow := func(at time.Time) bool {
		for _, w := range windows {
			if !at.Before(w.from) && at.Before(w.to.Add(40*time.Second)) { // and the 20-s tokens' catching up
				return true
			}
		}
		return false
	}
	nextSample := time.Now()
	for i := 0; time.Since(start) < length; i++ {
		name := names[i%len(names)]
		_, _, code := e.run("", "token", name)
		asked++
		if code != 0 {
			failed++
			if !inWindow(time.Now()) {
				failedClear++
				t.Logf("%s: token %s failed outside a fault window", time.Since(start).Round(time.Second), name)
			}
		}
		if time.Now().After(nextSample) {
			rss, fds := procFigures(p.cmd.Process.Pid)
			samples = append(samples, sample{time.Since(start).Round(time.Second), rss, fds, failed})
			t.Logf("%7s  rss %6d KiB  open files %3d  tokens asked %5d, failed %4d", samples[len(samples)-1].at, rss, fds, asked, failed)
			nextSample = nextSample.Add(time.Minute)
		}
		time.Sleep(2 * time.Second)
	}

	// The end: every account valid again, its credential live at its provider; no sign-in lost.
	var accounts []listedAccount
	eventually(t, 2*time.Minute, "every account valid again", func() bool {
		out, _, _ := e.run("", "list", "--json")
		accounts = nil
		_ = json.Unmarshal([]byte(out), &accounts)
		for _, a := range accounts {
			if a.State != "valid" {
				return false
			}
		}
		return len(accounts) == len(names)
	})
	lost := 0
	for _, n := range names {
		out, errs, code := e.run("", "token", n)
		value := strings.TrimSpace(out)
		live := false
		switch {
		case code != 0:
		case strings.HasPrefix(n, "onsip"):
			_, live = onsip.Live(value)
		default:
			for _, f := range fakes {
				live = live || f.AccessValid(value)
			}
		}
		if !live {
			lost++
			t.Errorf("%s: no live credential at the end (%d %s)", n, code, errs)
		}
	}
	perAccount := map[string]int{}
	signIns := 0
	for _, c := range notes.Calls() {
		if c.Summary == "Sign-in required" {
			signIns++
		}
		if c.Summary == "Signed in" {
			continue // the logins at the start
		}
		for _, n := range names {
			if strings.HasPrefix(c.Summary, n+" ") || strings.HasPrefix(c.Body, n+" ") {
				perAccount[n]++
			}
		}
	}
	most := 0
	for n, k := range perAccount {
		most = max(most, k)
		if k > len(windows) {
			t.Errorf("%s: %d notifications in %d fault windows; want at most one per window", n, k, len(windows))
		}
	}
	if signIns > 0 {
		t.Errorf("%d 'Sign-in required' notifications: a grant was lost", signIns)
	}
	warm, last := samples[min(2, len(samples)-1)], samples[len(samples)-1]
	t.Logf("soak: %s, %d accounts, %d fault windows; grants lost %d; tokens asked %d, failed %d (%d outside fault windows); "+
		"notifications %d, at most %d for one account; rss %d KiB at %s, %d KiB at %s; open files %d, then %d",
		length, len(names), len(windows), lost, asked, failed, failedClear, len(notes.Calls()), most,
		warm.rssKiB, warm.at, last.rssKiB, last.at, warm.openFDs, last.openFDs)
	if failedClear > 0 {
		t.Errorf("%d tokens refused while every provider answered", failedClear)
	}
	if last.openFDs > warm.openFDs+10 {
		t.Errorf("open files grew from %d to %d", warm.openFDs, last.openFDs)
	}
	if last.rssKiB > warm.rssKiB*3/2 {
		t.Errorf("memory grew from %d KiB to %d KiB", warm.rssKiB, last.rssKiB)
	}
}

// procFigures reads the resident memory (KiB) and the number of open files of the process pid.
func procFigures(pid int) (rssKiB, openFDs int) {
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rssKiB, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	fds, _ := os.ReadDir(filepath.Join("/proc", strconv.Itoa(pid), "fd"))
	return rssKiB, len(fds)
}
