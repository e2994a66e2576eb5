package window

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/model"
)

// noTrayText explains a desktop without a tray host instead of leaving the app running invisibly.
const noTrayText = "Tokentray could not find a system tray on this desktop, so it is showing this window instead. " +
	"On GNOME, install the “AppIndicator and KStatusNotifierItem Support” extension and start Tokentray again. " +
	"Closing this window quits Tokentray."

const demoText = "Demo mode: these accounts use fake providers running on this machine. Sign in to see each " +
	"provider's Allow/Deny page in your browser; tokens live two minutes so you can watch them renew."

// updateBanners shows what the person must know about this app: demo mode (and how a terminal
// reaches it), a desktop without a tray.
func (w *Window) updateBanners(info model.AppInfo) {
	var items []fyne.CanvasObject
	if info.Demo {
		text := demoText
		if info.Command != "" {
			text += " From another terminal: " + info.Command
		}
		items = append(items, banner(theme.InfoIcon(), text))
	}
	if !info.TrayAvailable {
		items = append(items, banner(theme.WarningIcon(), noTrayText))
	}
	key := fmt.Sprint(info.Demo, info.Command, info.TrayAvailable)
	if w.bannerKey == key {
		return
	}
	w.bannerKey = key
	w.banners.Objects = items
	w.banners.Refresh()
}

func banner(icon fyne.Resource, text string) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewIcon(icon), nil, wrap(text))
}

// CheckDiscovery reads an OpenID issuer's discovery document before the account is saved, and
// says what is wrong at the issuer field if it cannot: a typo found now, not at sign-in.
func CheckDiscovery(kind string, settings map[string]string) (string, error) {
	if kind != "oidc" {
		return "", nil
	}
	issuer := strings.TrimRight(settings["issuer"], "/")
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(issuer + "/.well-known/openid-configuration")
	if err != nil {
		return "settings.issuer", fmt.Errorf("could not reach the issuer: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "settings.issuer", fmt.Errorf("the issuer has no discovery document (%s at /.well-known/openid-configuration)", resp.Status)
	}
	var doc struct {
		Issuer    string `json:"issuer"`
		Authorize string `json:"authorization_endpoint"`
		Token     string `json:"token_endpoint"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || doc.Authorize == "" || doc.Token == "" {
		return "settings.issuer", errors.New("the issuer's discovery document is not one: no authorization and token endpoints")
	}
	if strings.TrimRight(doc.Issuer, "/") != issuer {
		return "settings.issuer", fmt.Errorf("the discovery document names the issuer %q: use that", doc.Issuer)
	}
	return "", nil
}
