package tray

import (
	"fmt"

	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// noTrayText explains a desktop without a tray host instead of leaving the app running invisibly.
const noTrayText = "Tokentray could not find a system tray on this desktop, so it is showing this window instead. " +
	"On GNOME, install the “AppIndicator and KStatusNotifierItem Support” extension and start Tokentray again. " +
	"Closing this window quits Tokentray."

const demoText = "Demo mode: these accounts use fake providers running on this machine. Sign in to see each " +
	"provider's Allow/Deny page in your browser; tokens live two minutes so you can watch them renew."

// window is the accounts window's content, rebuilt from state like the menu.
func (u *UI) windowContent() fyne.CanvasObject {
	s := u.state
	var top []fyne.CanvasObject
	if u.info.Demo {
		top = append(top, banner(theme.InfoIcon(), demoText))
	}
	if !u.info.TrayAvailable {
		top = append(top, banner(theme.WarningIcon(), noTrayText))
	}
	var body fyne.CanvasObject
	switch {
	case s.Problem != "":
		body = banner(theme.ErrorIcon(), "The accounts file could not be read, and Tokentray will not change it until it is fixed:\n"+s.Problem)
	case len(s.Accounts) == 0:
		body = container.NewVBox(wrap("No accounts yet."),
			wrap("Add an OnSIP, Net2Phone Canada, Avaya Spaces or OpenID Connect account: Tokentray signs you in "+
				"through your browser once, keeps its credential fresh, and copies it in one click from the tray."))
	default:
		var rows []fyne.CanvasObject
		for _, a := range s.Accounts {
			rows = append(rows, u.accountCard(a))
		}
		body = container.NewVBox(rows...)
	}
	add := widget.NewButtonWithIcon("Add account…", theme.ContentAddIcon(), u.showAddForm)
	add.Importance = widget.HighImportance
	if u.act.AddAccount == nil || s.Problem != "" {
		add.Disable()
	}
	accounts := container.NewBorder(nil, container.NewHBox(add), nil, nil, container.NewVScroll(body))
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon("Accounts", theme.AccountIcon(), accounts),
		container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), u.settingsContent()),
	)
	return container.NewBorder(container.NewVBox(top...), nil, nil, nil, tabs)
}

// accountCard shows one account: who is signed in, its state and expiry, where its secrets are,
// and what can be done with it now.
func (u *UI) accountCard(a Account) fyne.CanvasObject {
	now := u.state.Now
	if now.IsZero() {
		now = time.Now()
	}
	title := fmt.Sprintf("%s — %s", a.Name, providerTitle(a.Provider))
	lines := widget.NewForm(widget.NewFormItem("State", widget.NewLabel(a.Summary(now))))
	if a.Identity != "" {
		lines.Append("Signed in as", widget.NewLabel(a.Identity))
	}
	if !a.Expiry.IsZero() && !a.Session && a.HasCredential() {
		lines.Append("Expires", widget.NewLabel(a.Expiry.Local().Format("15:04:05, 2 Jan")))
	}
	if !a.RefreshExpiry.IsZero() {
		lines.Append("Sign-in ends", widget.NewLabel(a.RefreshExpiry.Local().Format("2 Jan 2006")))
	}
	lines.Append("Secrets", widget.NewLabel("System keyring, service “"+u.info.KeyringService+"”"))
	if a.Problem != "" && a.State != "valid" {
		lines.Append("Problem", wrap(a.Problem))
	}
	var buttons []fyne.CanvasObject
	button := func(label string, icon fyne.Resource, f func()) {
		b := widget.NewButtonWithIcon(label, icon, f)
		if f == nil {
			b.Disable()
		}
		buttons = append(buttons, b)
	}
	switch {
	case a.SigningIn:
		lines.Append("", widget.NewLabel("Waiting for the browser… finish signing in there."))
		button("Cancel", theme.CancelIcon(), bind(u.act.CancelSignIn, a.ID))
		if u.act.Paste != nil {
			paste := widget.NewEntry()
			paste.SetPlaceHolder("Or paste the address the browser ended on, or the code")
			paste.OnSubmitted = func(text string) { u.act.Paste(a.ID, text) }
			lines.Append("Paste", paste)
		}
	case a.HasCredential():
		button("Copy "+a.credentialName(), theme.ContentCopyIcon(), func() { call2(u.act.Copy, a.ID, false) })
		button("Check", theme.SearchIcon(), u.check(a))
		button("Sign out", theme.LogoutIcon(), bind(u.act.SignOut, a.ID))
	default:
		button("Sign in…", theme.LoginIcon(), bind(u.act.SignIn, a.ID))
	}
	if len(a.Users) > 1 && u.act.ActAs != nil {
		var names []string
		byName := map[string]string{}
		current := ""
		for _, usr := range a.Users {
			label := usr.Name + " (" + usr.ID + ")"
			names = append(names, label)
			byName[label] = usr.ID
			if usr.ID == a.CurrentUser {
				current = label
			}
		}
		sel := widget.NewSelect(names, nil)
		sel.SetSelected(current)
		sel.OnChanged = func(label string) {
			if byName[label] != a.CurrentUser {
				u.act.ActAs(a.ID, byName[label])
			}
		}
		lines.Append("Act as", sel)
	}
	if u.act.EditAccount != nil {
		button("Edit…", theme.DocumentCreateIcon(), func() { u.showForm(&a) })
	}
	button("Remove", theme.DeleteIcon(), u.confirmRemove(a))
	return widget.NewCard(title, "", container.NewVBox(lines, container.NewHBox(buttons...)))
}

func (u *UI) check(a Account) func() {
	if u.act.Check == nil {
		return nil
	}
	return func() {
		go func() {
			who, err := u.act.Check(a.ID)
			fyne.Do(func() {
				if err != nil {
					u.inform("Check failed", a.Name+": "+err.Error())
					return
				}
				u.inform("Check", a.Name+" works: the provider says you are "+who+".")
			})
		}()
	}
}

func (u *UI) confirmRemove(a Account) func() {
	if u.act.RemoveAccount == nil {
		return nil
	}
	return func() {
		u.confirm("Remove "+a.Name+"?", "Tokentray signs it out, deletes its secrets from the keyring and removes it from the accounts file.", func() {
			go func() {
				if err := u.act.RemoveAccount(a.ID); err != nil {
					fyne.Do(func() { u.inform("Could not remove "+a.Name, err.Error()) })
				}
			}()
		})
	}
}

func (u *UI) settingsContent() fyne.CanvasObject {
	p := u.state.Prefs
	clear := widget.NewEntry()
	clear.SetText(p.ClipboardClear)
	clear.Validator = durationValidator
	minValid := widget.NewEntry()
	minValid.SetText(p.MinValid)
	minValid.Validator = durationValidator
	notes := widget.NewCheck("Show notifications", nil)
	notes.SetChecked(p.Notifications)
	login := widget.NewCheck("Start Tokentray when I log in", nil)
	login.SetChecked(u.state.StartAtLogin)
	status := widget.NewLabel("")
	form := widget.NewForm(
		widget.NewFormItem("Clear clipboard after", clear),
		widget.NewFormItem("Copied credential valid for at least", minValid),
		widget.NewFormItem("", notes),
		widget.NewFormItem("", login),
	)
	form.Items[0].HintText = "e.g. 2m; 0s keeps it until something else is copied"
	form.Items[1].HintText = "Copy renews first when the credential would expire sooner, e.g. 5m"
	form.SubmitText = "Save settings"
	if u.act.SavePrefs != nil {
		form.OnSubmit = func() {
			err := u.act.SavePrefs(Prefs{ClipboardClear: clear.Text, MinValid: minValid.Text, Notifications: notes.Checked})
			if err == nil && login.Checked != u.state.StartAtLogin && u.act.StartAtLogin != nil {
				u.act.StartAtLogin(login.Checked)
			}
			if err != nil {
				status.SetText("Not saved: " + err.Error())
			} else {
				status.SetText("Saved.")
			}
		}
	}
	info := widget.NewForm(
		widget.NewFormItem("Accounts file", selectable(u.info.ConfigPath)),
		widget.NewFormItem("Secrets", widget.NewLabel(fmt.Sprintf("System keyring, service “%s”", u.info.KeyringService))),
		widget.NewFormItem("Log", selectable(u.info.LogPath)),
		widget.NewFormItem("Version", widget.NewLabel(u.info.Version)),
	)
	return container.NewVScroll(container.NewVBox(form, status, widget.NewSeparator(), info))
}

// Prefs are the settings the window edits.
type Prefs struct {
	ClipboardClear, MinValid string
	Notifications            bool
}

func durationValidator(s string) error {
	if d, err := time.ParseDuration(s); err != nil || d < 0 {
		return fmt.Errorf("a duration such as 90s or 5m")
	}
	return nil
}

func banner(icon fyne.Resource, text string) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewIcon(icon), nil, wrap(text))
}

func wrap(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// selectable shows a path the user may want to copy.
func selectable(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Selectable = true
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}
