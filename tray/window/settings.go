package window

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/model"
)

// settings is the Settings tab: the preferences (durations as people write them, "2m"), where
// things live, and the version. What the person types stays while they type: a status change
// updates the fields only while they are untouched.
type settings struct {
	w                             *Window
	content                       fyne.CanvasObject
	clear, minValid, margin       *widget.Entry
	notes, login                  *widget.Check
	saved                         *widget.Label
	config, keyring, log, version *widget.Label
	command                       *widget.Label
	dirty                         bool
	filling                       bool // update is setting the fields, not the person
}

func newSettings(w *Window) *settings {
	s := &settings{w: w, clear: widget.NewEntry(), minValid: widget.NewEntry(), margin: widget.NewEntry(), saved: widget.NewLabel(""),
		config: selectable(""), keyring: widget.NewLabel(""), log: selectable(""), version: widget.NewLabel(""), command: wrap("")}
	touched := func(string) {
		if !s.filling {
			s.dirty = true
			s.saved.SetText("")
		}
	}
	for _, e := range []*widget.Entry{s.clear, s.minValid, s.margin} {
		e.Validator = durationValidator
		e.OnChanged = touched
	}
	s.notes = widget.NewCheck("Show notifications", func(bool) { touched("") })
	s.login = widget.NewCheck("Start Tokentray when I log in", func(bool) { touched("") })
	form := widget.NewForm(
		&widget.FormItem{Text: "Clear clipboard after", Widget: s.clear, HintText: "e.g. 2m; 0s keeps it until something else is copied"},
		&widget.FormItem{Text: "Copied credential valid for at least", Widget: s.minValid,
			HintText: "e.g. 5m; never more than a third of the provider's token life, so a copy always works"},
		&widget.FormItem{Text: "Renew before expiry", Widget: s.margin, HintText: "e.g. 5m; never more than a third of a token's life"},
		&widget.FormItem{Widget: s.notes},
		&widget.FormItem{Widget: s.login},
	)
	form.SubmitText = "Save settings"
	form.OnSubmit = s.save
	info := widget.NewForm(
		widget.NewFormItem("Accounts file", s.config),
		widget.NewFormItem("Secrets", s.keyring),
		widget.NewFormItem("Log", s.log),
		widget.NewFormItem("Version", s.version),
	)
	s.content = container.NewVScroll(container.NewVBox(form, s.saved, widget.NewSeparator(), info, s.command))
	return s
}

// update shows p and info, unless the person is editing the fields.
func (s *settings) update(p model.Preferences, info model.AppInfo) {
	s.config.SetText(info.ConfigPath)
	s.keyring.SetText(fmt.Sprintf("System keyring, service “%s”", info.KeyringService))
	s.log.SetText(info.LogPath)
	s.version.SetText(info.Version)
	setText(s.command, "From a terminal: "+info.Command, info.Command != "")
	if s.dirty {
		return
	}
	s.filling = true
	defer func() { s.filling = false }()
	s.clear.SetText(short(p.ClipboardClear))
	s.minValid.SetText(short(p.MinValid))
	s.margin.SetText(short(p.RefreshMargin))
	s.notes.SetChecked(p.Notifications)
	s.login.SetChecked(p.StartAtLogin)
}

func (s *settings) save() {
	p := model.Preferences{Notifications: s.notes.Checked, StartAtLogin: s.login.Checked}
	for _, f := range []struct {
		e *widget.Entry
		d *time.Duration
	}{{s.clear, &p.ClipboardClear}, {s.minValid, &p.MinValid}, {s.margin, &p.RefreshMargin}} {
		d, err := time.ParseDuration(f.e.Text)
		if err != nil || d < 0 {
			s.saved.SetText("Not saved: " + f.e.Text + " is not a duration such as 90s or 5m.")
			return
		}
		*f.d = d
	}
	s.saved.SetText("Saving…")
	s.w.async(func() {
		err := s.w.core.SetPreferences(p)
		fyne.Do(func() {
			if err != nil {
				s.saved.SetText("Not saved: " + err.Error())
				return
			}
			s.dirty = false
			s.saved.SetText("Saved.")
			s.w.say("Settings saved.")
		})
	})
}

// short writes a duration as people do: "2m", "90s", "1h30m".
func short(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func durationValidator(s string) error {
	if d, err := time.ParseDuration(s); err != nil || d < 0 {
		return fmt.Errorf("a duration such as 90s or 5m")
	}
	return nil
}

// selectable shows a path the person may want to copy.
func selectable(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Selectable = true
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}
