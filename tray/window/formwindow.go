// The form's window, its labelled rows, and errors shown where they belong.

package window

import (
	"strings"

	"tokentray/app/model"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ShowForm opens the add form, or with a, the form to edit a.
func (w *Window) ShowForm(a *model.Account) {
	title := "Add account — Tokentray"
	if a != nil {
		title = "Edit " + a.Name + " — Tokentray"
	}
	fw := w.app.NewWindow(title)
	save := func(name, kind string, settings, secrets map[string]string) error {
		if a == nil {
			if err := w.core.AddAccount(name, kind, settings, secrets); err != nil {
				return err
			}
			fyne.Do(func() { w.say("Added " + name + ". Sign in from its Sign in… button or the tray.") })
			return nil
		}
		if err := w.core.UpdateAccount(a.ID, name, settings, secrets); err != nil {
			return err
		}
		fyne.Do(func() { w.say("Saved " + name + ".") })
		return nil
	}
	form := NewForm(save, CheckDiscovery, func(s string) { w.app.Clipboard().SetContent(s) }, fw.Close)
	form.async = w.async
	if a != nil {
		form.Edit(a.Provider, a.Name, a.Settings)
	}
	fw.SetContent(container.NewPadded(form.Content()))
	fw.Resize(fyne.NewSize(640, 680))
	fw.Show()
}

// showError puts err at the field it concerns ("settings.client_id", "name", a secret's key),
// and in the status line.
func (f *Form) showError(field string, err error) {
	f.Status.SetText("Not saved: " + err.Error())
	key := strings.TrimPrefix(field, "settings.")
	if key == "name" {
		f.errAt = key
		f.Name.SetValidationError(err)
		return
	}
	if e, ok := f.Fields[key].(*widget.Entry); ok {
		f.errAt = key
		e.SetValidationError(err)
		if row := f.rows[key]; row != nil {
			row.Show()
		}
	}
}

// field is a labelled row with its help under the widget.
func field(label, help string, w fyne.CanvasObject) *fyne.Container {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if help == "" {
		return container.NewVBox(l, w)
	}
	h := wrap(help)
	h.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(l, w, h)
}
