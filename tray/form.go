package tray

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tokentray/auth"
)

// AddForm is the add-account form: a provider kind, then only the fields that kind takes, with
// defaults filled in and each explained. Secrets are typed into password fields and handed to the
// save function, which puts them in the keyring; nothing is saved while a field is invalid.
type AddForm struct {
	Kind     *widget.Select
	Name     *widget.Entry
	Fields   map[string]fyne.CanvasObject // *widget.Entry or *widget.Select, by setting key
	Redirect *widget.Label                // the redirect URI to register with the provider
	Status   *widget.Label                // what the save said
	Form     *widget.Form

	save func(name, kind string, settings, secrets map[string]string) error
	kind auth.Kind
	box  *fyne.Container
}

// NewAddForm builds the form; save is called with valid input only.
func NewAddForm(save func(name, kind string, settings, secrets map[string]string) error, copyText func(string)) *AddForm {
	f := &AddForm{save: save, Name: widget.NewEntry(), Redirect: widget.NewLabel(""), Status: widget.NewLabel("")}
	f.Redirect.Selectable = true
	f.Status.Wrapping = fyne.TextWrapWord
	f.Name.SetPlaceHolder("e.g. work-avaya")
	f.Name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("give the account a name")
		}
		return nil
	}
	var titles []string
	for _, name := range auth.KindNames() {
		k, _ := auth.LookupKind(name)
		titles = append(titles, k.Title)
	}
	f.box = container.NewVBox()
	f.Kind = widget.NewSelect(titles, func(title string) { f.setKind(title) })
	copyButton := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		if copyText != nil {
			copyText(f.Redirect.Text)
		}
	})
	f.box.Add(widget.NewForm(widget.NewFormItem("Provider", f.Kind)))
	f.Form = widget.NewForm()
	f.box.Add(f.Form)
	f.box.Add(container.NewBorder(nil, nil, widget.NewLabel("Register this redirect URI:"), copyButton, f.Redirect))
	f.box.Add(f.Status)
	f.Kind.SetSelected(titles[0])
	return f
}

// Edit fills the form with an existing account to change: its kind cannot change, and secret
// fields stay empty (typing one replaces the stored secret; leaving it empty keeps it).
func (f *AddForm) Edit(kind, name string, settings map[string]string) {
	f.Kind.SetSelected(providerTitle(kind))
	f.Kind.Disable()
	f.Name.SetText(name)
	for _, fl := range f.kind.Fields {
		switch w := f.Fields[fl.Key].(type) {
		case *widget.Entry:
			if fl.Secret {
				w.SetPlaceHolder("unchanged — type to replace")
			} else if v, ok := settings[fl.Key]; ok {
				w.SetText(v)
			}
		case *widget.Select:
			if v, ok := settings[fl.Key]; ok {
				w.SetSelected(v)
			}
		}
	}
	f.updateRedirect()
}

// Content is the form's canvas object.
func (f *AddForm) Content() fyne.CanvasObject { return f.box }

func (f *AddForm) setKind(title string) {
	for _, name := range auth.KindNames() {
		if k, _ := auth.LookupKind(name); k.Title == title {
			f.kind = k
		}
	}
	f.Fields = map[string]fyne.CanvasObject{}
	items := []*widget.FormItem{{Text: "Name", Widget: f.Name, HintText: "What you call it; `tokentray token NAME` uses it."}}
	for _, fl := range f.kind.Fields {
		var w fyne.CanvasObject
		switch {
		case fl.Type == auth.Choice:
			s := widget.NewSelect(fl.Choices, func(string) { f.updateRedirect() })
			s.SetSelected(fl.Default)
			w = s
		default:
			e := widget.NewEntry()
			if fl.Secret {
				e = widget.NewPasswordEntry()
			}
			e.SetText(fl.Default)
			fl := fl
			e.Validator = func(v string) error {
				if v == "" {
					if fl.Required {
						return fmt.Errorf("%s is required", fl.Label)
					}
					return nil
				}
				return fl.Check(v)
			}
			e.OnChanged = func(string) { f.updateRedirect() }
			w = e
		}
		f.Fields[fl.Key] = w
		label := fl.Label
		if fl.Required {
			label += " *"
		}
		items = append(items, &widget.FormItem{Text: label, Widget: w, HintText: fl.Help})
	}
	f.Form.Items = items
	f.Form.SubmitText = "Save account"
	f.Form.OnSubmit = f.submit
	f.Form.Refresh()
	f.Status.SetText("")
	f.updateRedirect()
}

// values returns the settings that differ from the defaults, and the secrets.
func (f *AddForm) values() (settings, secrets map[string]string) {
	settings, secrets = map[string]string{}, map[string]string{}
	for _, fl := range f.kind.Fields {
		var v string
		switch w := f.Fields[fl.Key].(type) {
		case *widget.Entry:
			v = strings.TrimSpace(w.Text)
		case *widget.Select:
			v = w.Selected
		}
		switch {
		case fl.Secret && v != "":
			secrets[fl.Key] = v
		case !fl.Secret && v != "" && v != fl.Default:
			settings[fl.Key] = v
		}
	}
	return settings, secrets
}

func (f *AddForm) updateRedirect() {
	settings, _ := f.values()
	get := func(k string) string { return f.kind.Setting(settings, k) }
	if u := get("redirect_url"); u != "" {
		f.Redirect.SetText(u + "   (you paste the address the browser ends on)")
		return
	}
	port := get("redirect_port")
	if port == "0" || port == "" {
		f.Redirect.SetText(fmt.Sprintf("http://%s/%s   (any free port: set a fixed one if the provider matches exactly)", get("redirect_host"), strings.TrimPrefix(get("redirect_path"), "/")))
		return
	}
	f.Redirect.SetText(fmt.Sprintf("http://%s:%s/%s", get("redirect_host"), port, strings.TrimPrefix(get("redirect_path"), "/")))
}

func (f *AddForm) submit() {
	if err := f.Form.Validate(); err != nil {
		f.Status.SetText("Not saved: " + err.Error())
		return
	}
	settings, secrets := f.values()
	if err := f.save(strings.TrimSpace(f.Name.Text), f.kind.Name, settings, secrets); err != nil {
		f.Status.SetText("Not saved: " + err.Error())
		return
	}
	f.Status.SetText("Saved. Sign in from the Accounts window or the tray.")
}

func (u *UI) showAddForm() { u.showForm(nil) }

// showForm opens the add form, or with a, the form to edit a.
func (u *UI) showForm(a *Account) {
	title := "Add account — Tokentray"
	if a != nil {
		title = "Edit " + a.Name + " — Tokentray"
	}
	w := u.app.NewWindow(title)
	form := NewAddForm(func(name, kind string, settings, secrets map[string]string) error {
		var err error
		if a == nil {
			err = u.act.AddAccount(name, kind, settings, secrets)
		} else {
			err = u.act.EditAccount(a.ID, name, settings, secrets)
		}
		if err != nil {
			return err
		}
		w.Close()
		return nil
	}, func(s string) { u.app.Clipboard().SetContent(s) })
	if a != nil {
		form.Edit(a.Provider, a.Name, a.Settings)
	}
	w.SetContent(container.NewPadded(container.NewVScroll(form.Content())))
	w.Resize(fyne.NewSize(620, 640))
	w.Show()
	u.addWindow = w
}

func (u *UI) inform(title, text string) { dialog.ShowInformation(title, text, u.win) }

func (u *UI) confirm(title, text string, yes func()) {
	dialog.ShowConfirm(title, text, func(ok bool) {
		if ok {
			yes()
		}
	}, u.win)
}

func providerTitle(kind string) string {
	if k, ok := auth.LookupKind(kind); ok {
		return k.Title
	}
	return kind
}
