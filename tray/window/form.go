package window

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/client"
	"tokentray/auth/kinds"
	"tokentray/tray/words"
)

// Form is the add and edit form. It shows the fields of the chosen provider kind that apply to
// what else is chosen (the grant, the sign-in method: kinds.Field.When), the rarely changed ones
// folded under Advanced, the redirect URI to register above Save (its Copy button copies the URI
// alone), and every error at the field it concerns. Secrets go in password fields straight to
// the keyring; nothing is saved while a field is invalid.
type Form struct {
	Kind     *widget.Select
	Name     *widget.Entry
	Fields   map[string]fyne.CanvasObject // *widget.Entry or *widget.Select, by setting key
	Redirect *widget.Label                // the redirect URI to register with the provider
	Status   *widget.Label                // what the save said
	CopyURI  *widget.Button               // copies the redirect URI alone
	Save     *widget.Button
	Cancel   *widget.Button
	errAt    string // the field the last refusal was shown at

	kind        kinds.Kind
	editing     bool
	rows        map[string]*fyne.Container // each field's row, shown when it applies
	redirectRow *fyne.Container            // the redirect URI to register, for kinds that sign in through a browser
	main        *fyne.Container
	advanced    *fyne.Container
	box         *fyne.Container
	save        func(name, kind string, settings, secrets map[string]string) error
	check       func(kind string, settings map[string]string) (field string, err error) // before saving (discovery)
	copyText    func(string)
	done        func()
	async       func(func()) // runs the save away from Fyne's goroutine; tests run it in place
}

// NewForm builds the form. save is called with valid input only; check, when set, may refuse it
// first (an OpenID issuer whose discovery document cannot be read); done closes the form.
func NewForm(save func(name, kind string, settings, secrets map[string]string) error,
	check func(kind string, settings map[string]string) (string, error), copyText func(string), done func()) *Form {
	f := &Form{save: save, check: check, copyText: copyText, done: done, Name: widget.NewEntry(), Redirect: widget.NewLabel(""), Status: wrap(""),
		async: func(f func()) { go f() }}
	f.Redirect.Selectable = true
	f.Redirect.Wrapping = fyne.TextWrapWord
	f.Status.Importance = widget.DangerImportance
	f.Name.SetPlaceHolder("e.g. Work Avaya")
	f.Name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("give the account a name")
		}
		return nil
	}
	var titles []string
	for _, name := range kinds.Names() {
		k, _ := kinds.Lookup(name)
		titles = append(titles, k.Title)
	}
	f.main, f.advanced = container.NewVBox(), container.NewVBox()
	f.Kind = widget.NewSelect(titles, func(title string) { f.setKind(title) })
	f.CopyURI = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		if f.copyText != nil {
			f.copyText(redirectURI(f.Redirect.Text))
		}
	})
	f.Save = widget.NewButtonWithIcon("Save account", theme.DocumentSaveIcon(), f.submit)
	f.Save.Importance = widget.HighImportance
	f.Cancel = widget.NewButton("Cancel", func() {
		if f.done != nil {
			f.done()
		}
	})
	adv := widget.NewAccordion(widget.NewAccordionItem("Advanced", f.advanced))
	f.redirectRow = container.NewBorder(widget.NewLabelWithStyle("Register this redirect URI with the provider:", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, container.NewVBox(f.CopyURI), f.Redirect)
	fields := container.NewVBox(
		field("Provider", "", f.Kind), field("Name *", "What you call it; `tokentray token NAME` uses it.", f.Name),
		f.main, adv)
	// what the person acts on stays in view, however long the form: the URI to register, Save
	f.box = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), f.redirectRow,
		container.NewBorder(nil, nil, container.NewHBox(f.Save, f.Cancel), nil, f.Status)),
		nil, nil, container.NewVScroll(fields))
	f.Kind.SetSelected(titles[0])
	return f
}

// Edit fills the form with an existing account: its kind cannot change, and secret fields stay
// empty (typing one replaces the stored secret; leaving it empty keeps it).
func (f *Form) Edit(kind, name string, settings map[string]string) {
	f.editing = true
	f.Kind.SetSelected(words.ProviderTitle(kind))
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
	f.adapt()
}

// Content is the form's canvas object.
func (f *Form) Content() fyne.CanvasObject { return f.box }

func (f *Form) setKind(title string) {
	for _, name := range kinds.Names() {
		if k, _ := kinds.Lookup(name); k.Title == title {
			f.kind = k
		}
	}
	f.Fields, f.rows = map[string]fyne.CanvasObject{}, map[string]*fyne.Container{}
	f.main.RemoveAll()
	f.advanced.RemoveAll()
	for _, fl := range f.kind.Fields {
		var w fyne.CanvasObject
		if fl.Type == kinds.Choice {
			s := widget.NewSelect(fl.Choices, func(string) { f.adapt() })
			s.SetSelected(fl.Default)
			w = s
		} else {
			e := widget.NewEntry()
			if fl.Secret {
				e = widget.NewPasswordEntry()
			}
			e.SetText(fl.Default)
			e.Validator = f.validator(fl)
			e.OnChanged = func(string) { f.adapt() }
			w = e
		}
		f.Fields[fl.Key] = w
		label := fl.Label
		if fl.Required {
			label += " *"
		}
		row := field(label, fl.Help, w)
		f.rows[fl.Key] = row
		if fl.Advanced {
			f.advanced.Add(row)
		} else {
			f.main.Add(row)
		}
	}
	f.Status.SetText("")
	f.adapt()
}

// validator checks a field as the accounts file will, and says so at the field.
func (f *Form) validator(fl kinds.Field) func(string) error {
	return func(v string) error {
		if !f.kind.Applies(fl, f.settings()) {
			return nil
		}
		if strings.TrimSpace(v) == "" {
			if fl.Required && !(fl.Secret && f.editing) {
				return fmt.Errorf("%s is required", fl.Label)
			}
			return nil
		}
		return fl.Check(strings.TrimSpace(v))
	}
}

// adapt shows the fields that apply to what is chosen now, and the redirect URI.
func (f *Form) adapt() {
	settings := f.settings()
	for _, fl := range f.kind.Fields {
		if row := f.rows[fl.Key]; row != nil {
			visible(row, f.kind.Applies(fl, settings))
		}
	}
	f.updateRedirect(settings)
}

// settings returns what the fields hold that differs from the defaults.
func (f *Form) settings() map[string]string {
	settings, _ := f.values()
	return settings
}

// values returns the settings that differ from the defaults and apply, and the secrets.
func (f *Form) values() (settings, secrets map[string]string) {
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
	for _, fl := range f.kind.Fields { // what does not apply is not kept
		if !f.kind.Applies(fl, settings) {
			delete(settings, fl.Key)
			delete(secrets, fl.Key)
		}
	}
	return settings, secrets
}

func (f *Form) updateRedirect(settings map[string]string) {
	get := func(k string) string { return f.kind.Setting(settings, k) }
	fl, ok := f.kind.Field("redirect_port")
	if !ok || !f.kind.Applies(fl, settings) {
		f.Redirect.SetText("none: this account signs in without a browser")
		f.redirectRow.Hide()
		return
	}
	f.redirectRow.Show()
	if u := get("redirect_url"); u != "" {
		f.Redirect.SetText(u + "   (you paste the address the browser ends on)")
		return
	}
	path := "/" + strings.TrimPrefix(get("redirect_path"), "/")
	if port := get("redirect_port"); port == "0" || port == "" {
		f.Redirect.SetText("http://" + get("redirect_host") + path + "   (any free port: set a fixed one if the provider matches exactly)")
		return
	}
	f.Redirect.SetText("http://" + get("redirect_host") + ":" + get("redirect_port") + path)
}

// redirectURI is the URI alone, without the explanation after it.
func redirectURI(shown string) string {
	uri, _, _ := strings.Cut(shown, "   (")
	return uri
}

func (f *Form) submit() {
	bad := f.Name.Validate()
	for _, fl := range f.kind.Fields { // in the form's order: the first problem a person meets
		if e, ok := f.Fields[fl.Key].(*widget.Entry); ok && f.rows[fl.Key].Visible() {
			if err := e.Validate(); err != nil && bad == nil {
				bad = err
			}
		}
	}
	if bad != nil {
		f.Status.SetText("Not saved: " + bad.Error())
		return
	}
	settings, secrets := f.values()
	f.Status.SetText("Saving…")
	f.Save.Disable()
	f.async(func() {
		field, err := "", error(nil)
		if f.check != nil {
			field, err = f.check(f.kind.Name, settings)
		}
		if err == nil {
			err = f.save(strings.TrimSpace(f.Name.Text), f.kind.Name, settings, secrets)
			var fe *client.FieldError
			if errors.As(err, &fe) {
				field = fe.Field
			}
		}
		fyne.Do(func() {
			f.Save.Enable()
			if err != nil {
				f.showError(field, err)
				return
			}
			f.Status.SetText("")
			if f.done != nil {
				f.done()
			}
		})
	})
}
