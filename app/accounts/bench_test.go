package accounts

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"tokentray/app/config"
	"tokentray/app/model"
	"tokentray/auth"
	"tokentray/auth/fakeidp"
)

// BenchmarkSchedule1000Accounts measures what keeping 1,000 signed-in accounts costs while idle:
// the schedule wakes at least every 30 s (120 times an hour) and scans every account, so the CPU
// per idle hour is 120 scans. It also reports the heap the 1,000 accounts hold.
func BenchmarkSchedule1000Accounts(b *testing.B) {
	store := auth.NewMemoryKeyring()
	cfg := &config.Config{Version: 1}
	exp := time.Now().Add(time.Hour)
	for i := range 1000 {
		id := model.AccountID(uuid.NewString())
		cfg.Accounts = append(cfg.Accounts, config.Account{ID: id, Name: "acct" + uuid.NewString()[:8] + string(rune('a'+i%26)), Provider: "avaya",
			Settings: map[string]string{"client_id": "c"}})
		raw, _ := auth.MarshalToken(&auth.Token{AccessToken: "a", RefreshToken: "r", Expiry: exp.Add(time.Duration(i) * time.Second)})
		_ = store.Set(string(id), secretToken, raw)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m := NewManager(cfg, Options{Store: store})
	runtime.GC()
	runtime.ReadMemStats(&after)
	now := time.Now()
	b.ResetTimer()
	for b.Loop() {
		m.scan(now)
	}
	perScan := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perScan.Microseconds())*120/1000, "cpu-ms/idle-hour")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1024, "heap-KiB/1000-accounts")
	runtime.KeepAlive(m)
}

var consentIDRe = regexp.MustCompile(`name="id" value="([^"]+)"`)

// BenchmarkCallbackToStored measures, for a real sign-in against the fake Avaya with the real
// keyring, the time from the browser's request to the loopback callback until the token is in the
// keyring: what the user waits on after clicking Allow. It reports the median and p95.
func BenchmarkCallbackToStored(b *testing.B) {
	fake := fakeidp.Start(fakeidp.Avaya)
	defer fake.Close()
	store := auth.NewKeyring("tokentray-bench-" + uuid.NewString())
	if _, err := store.Get("probe", "x"); err != nil && err != auth.ErrNotFound {
		b.Skipf("no keyring: %v (run make bench)", err)
	}
	id := model.AccountID(uuid.NewString())
	_ = store.Set(string(id), secretClientSecret, fake.ClientSecret)
	defer store.DeleteAccount(string(id))
	cfg := &config.Config{Version: 1, Accounts: []config.Account{{ID: id, Name: "bench", Provider: "avaya", Settings: fake.Settings()}}}
	var t0, t1 time.Time
	m := NewManager(cfg, Options{Store: store, AfterStore: func(model.AccountID, *auth.Token) { t1 = time.Now() }})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	browser := func(authURL string) error {
		go func() {
			resp, _ := http.Get(authURL)
			buf := make([]byte, 4096)
			n, _ := resp.Body.Read(buf)
			resp.Body.Close()
			u, _ := url.Parse(authURL)
			r, _ := noFollow.PostForm(u.Scheme+"://"+u.Host+"/consent", url.Values{"id": {string(consentIDRe.FindSubmatch(buf[:n])[1])}, "decision": {"allow"}})
			r.Body.Close()
			t0 = time.Now()
			if cb, err := http.Get(r.Header.Get("Location")); err == nil {
				cb.Body.Close()
			}
		}()
		return nil
	}
	var took []time.Duration
	for b.Loop() {
		if err := m.SignIn(context.Background(), id, auth.SignInUI{OpenURL: browser}); err != nil {
			b.Fatal(err)
		}
		took = append(took, t1.Sub(t0))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "ms-p95")
}
