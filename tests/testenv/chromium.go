package testenv

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is headless Debian Chromium acting as the user's system browser.
type Chromium struct {
	dir   string         // the profiles' folder, the test's
	open  sync.WaitGroup // the browsers not yet closed: the test's end waits for them, then removes dir
	opts  []chromedp.ExecAllocatorOption
	Pages chan string // the heading of the page each sign-in ended on, e.g. "Signed in"
}

// StartChromium prepares headless Chromium: each sign-in starts one, with a fresh profile, which
// stops when the sign-in ends.
func StartChromium(t testing.TB) *Chromium {
	t.Helper()
	path := Command(t, "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	c := &Chromium{dir: t.TempDir(), opts: opts, Pages: make(chan string, 8)}
	t.Cleanup(c.open.Wait) // before dir goes (cleanups run last first): a closing Chromium still writes its profile
	return c
}

// Browser returns an OpenURL func: it opens the URL in Chromium, clicks the button with id button
// ("allow" or "deny") on the provider's consent page, and reports the heading of the page the
// redirect ends on through Pages. Like a real browser it returns as soon as the page is opening.
func (c *Chromium) Browser(t testing.TB, button string) func(string) error {
	return func(url string) error {
		go func() {
			ctx, cancel := c.browser()
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			err := chromedp.Do(ctx,
				chromedp.Navigate(url),
				chromedp.WaitVisible("#"+button),
				chromedp.Click("#"+button),
				chromedp.WaitVisible(`//h1[not(contains(., "Fake"))]`),
			)
			var heading string
			if err == nil {
				heading, err = chromedp.Run(ctx, chromedp.Text(`//h1`))
			}
			if err != nil {
				heading = "chromium: " + err.Error()
			}
			c.Pages <- heading
		}()
		return nil
	}
}

// SignInAt returns an OpenURL func for the independent OpenID provider: it opens the URL in
// Chromium, signs in on the provider's own login page as login, clicks Continue on its consent
// page, and reports through Pages the heading of the page the redirect ends on.
func (c *Chromium) SignInAt(t testing.TB, login string) func(string) error {
	return func(url string) error {
		go func() {
			ctx, cancel := c.browser()
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			err := chromedp.Do(ctx,
				chromedp.Navigate(url),
				chromedp.WaitVisible(chromedp.CSS(`input[name="login"]`)),
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), login),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "any password"),
				chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
				chromedp.WaitReady(chromedp.CSS(`input[name="prompt"][value="consent"]`)),
				chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
			)
			title := ""
			for err == nil && !strings.HasPrefix(title, "Tokentray") { // Tokentray's own page, after the redirect
				time.Sleep(100 * time.Millisecond)
				title, err = chromedp.Run(ctx, chromedp.Title())
			}
			heading := ""
			if err == nil {
				heading, err = chromedp.Run(ctx, chromedp.Text(`//h1`))
			}
			if err != nil {
				heading = "chromium: " + err.Error()
			}
			c.Pages <- heading
		}()
		return nil
	}
}

// SignInOnDevice plays a person on another device: it opens the provider's verification address
// (the complete one, with the user code), confirms the code, signs in as login on the provider's
// own page if it asks (a browser already signed in there is not asked), grants consent if asked,
// and reports the title the flow ends on ("Sign-in Success").
func (c *Chromium) SignInOnDevice(t testing.TB, verification, login string) {
	go func() {
		ctx, cancel := c.browser()
		defer cancel()
		ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		err := chromedp.Do(ctx,
			chromedp.Navigate(verification),
			chromedp.WaitVisible(chromedp.CSS(`button[autofocus]`)), // "Continue": the code shown is the device's
			chromedp.Click(chromedp.CSS(`button[autofocus]`)),
		)
		title := ""
		for err == nil && title != "Sign-in Success" {
			time.Sleep(100 * time.Millisecond)
			// whichever page the provider shows now: its login, its consent, or the end
			var page string
			page, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('input[name="login"]') ? "login" :
				document.querySelector('input[name="prompt"][value="consent"]') ? "consent" : document.title`))
			switch {
			case err != nil:
			case page == "login":
				err = chromedp.Do(ctx,
					chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), login),
					chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "any password"),
					chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
					chromedp.WaitNotPresent(chromedp.CSS(`input[name="login"]`)))
			case page == "consent":
				err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
					chromedp.WaitNotPresent(chromedp.CSS(`input[name="prompt"][value="consent"]`)))
			default:
				title = page
			}
		}
		heading := title
		if err != nil {
			heading = "chromium: " + err.Error()
		}
		c.Pages <- heading
	}()
}

// browser starts a Chromium of its own, with a profile of its own. Each sign-in had its own
// process already (chromedp starts one for each context made from an allocator), but they all
// shared one profile folder, and a Chromium that starts while another holds its profile's lock
// hands its address to that one. One sign-in waited out its minute in a make test under load;
// a profile each rules that way out. Removed when the sign-in ends.
func (c *Chromium) browser() (context.Context, context.CancelFunc) {
	dir, err := os.MkdirTemp(c.dir, "profile-")
	if err != nil { // the sign-in then ends at once, its page saying why
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(err)
		return ctx, func() {}
	}
	c.open.Add(1)
	alloc, stop := chromedp.NewExecAllocator(context.Background(), append(c.opts[:len(c.opts):len(c.opts)], chromedp.UserDataDir(dir))...)
	ctx, cancel := chromedp.NewContext(alloc)
	return ctx, func() { cancel(); stop(); _ = os.RemoveAll(dir); c.open.Done() }
}
