package window

import (
	"cmp"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/skip2/go-qrcode"

	"tokentray/app/model"
	"tokentray/tray/words"
)

// detail is the chosen account's pane: its state in words, who is signed in, its expiry, what
// went wrong and what to do, and the less-used actions. Its widgets are made once and updated in
// place; a sign-in in progress shows its address with Open again, Copy link, Cancel and a paste
// box that checks what was pasted.
type detail struct {
	w   *Window
	box *fyne.Container
	a   model.Account

	title, state, identity, expires, ends, problem *widget.Label
	recent                                         *widget.Label // "Recent use", from the record of hand-outs
	actAs                                          *widget.Select
	actAsRow                                       *fyne.Container
	copy, header, check, renew, signIn, signOut    *widget.Button
	edit, remove, inspect, onDevice                *widget.Button

	signing                          *fyne.Container
	address, pasteErr                *widget.Label
	paste                            *widget.Entry
	reopen, copyLink, cancel, submit *widget.Button
	spinner                          *widget.Activity
	waiting, deviceText, userCode    *widget.Label
	inBrowser, onDevicePane          *fyne.Container
	qr                               *canvas.Image
	qrFor                            string // what the QR code shows now
	pick                             *widget.Label
	body                             *fyne.Container
}

func newDetail(w *Window) *detail {
	d := &detail{w: w}
	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.state, d.identity, d.expires, d.ends, d.problem = wrap(""), wrap(""), widget.NewLabel(""), widget.NewLabel(""), wrap("")
	d.problem.Importance = widget.DangerImportance
	d.recent = widget.NewLabel("")
	d.recent.SizeName = theme.SizeNameCaptionText
	d.recent.Hide()
	d.actAs = widget.NewSelect(nil, nil)
	d.actAsRow = container.NewBorder(nil, nil, widget.NewLabel("Act as"), nil, d.actAs)
	id := func() model.AccountID { return d.a.ID }
	d.copy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { w.Copy(id(), false) })
	d.header = widget.NewButton("Copy as header", func() { w.Copy(id(), true) })
	d.check = widget.NewButtonWithIcon("Check", theme.SearchIcon(), func() { w.Check(id()) })
	d.renew = widget.NewButtonWithIcon("Refresh now", theme.ViewRefreshIcon(), func() { w.RenewNow(id()) })
	d.signIn = widget.NewButtonWithIcon("Sign in…", theme.LoginIcon(), func() { w.SignIn(id()) })
	d.signOut = widget.NewButtonWithIcon("Sign out", theme.LogoutIcon(), func() { w.SignOut(id()) })
	d.edit = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), func() { a := d.a; w.ShowForm(&a) })
	d.remove = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { w.Remove(id()) })
	d.inspect = widget.NewButtonWithIcon("Inspect…", theme.InfoIcon(), func() { w.Inspect(id()) })
	d.onDevice = widget.NewButtonWithIcon("Sign in on another device…", theme.ComputerIcon(), func() { w.SignInOnDevice(id()) })

	d.address = widget.NewLabel("")
	d.address.Truncation = fyne.TextTruncateEllipsis
	d.address.Selectable = true
	d.reopen = widget.NewButton("Open again", func() { w.OpenAgain(id()) })
	d.copyLink = widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), func() { w.CopyLink(id()) })
	d.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { w.CancelSignIn(id()) })
	d.paste = widget.NewEntry()
	d.paste.SetPlaceHolder("Or paste the final address, or the code")
	d.pasteErr = wrap("")
	d.pasteErr.Importance = widget.DangerImportance
	d.submit = widget.NewButton("Use it", func() { w.Paste(id(), d.paste.Text) })
	d.paste.OnSubmitted = func(text string) { w.Paste(id(), text) }
	d.spinner = widget.NewActivity()
	d.inBrowser = container.NewVBox(d.address, container.NewHBox(d.reopen, d.copyLink),
		container.NewBorder(nil, nil, nil, d.submit, d.paste), d.pasteErr)
	d.waiting = widget.NewLabel("")
	d.deviceText = wrap("")
	d.qr = canvas.NewImageFromImage(nil)
	d.qr.FillMode = canvas.ImageFillContain
	d.qr.ScaleMode = canvas.ImageScalePixels
	d.qr.SetMinSize(fyne.NewSquareSize(160))
	d.userCode = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	d.userCode.SizeName = theme.SizeNameHeadingText
	d.userCode.Selectable = true
	d.onDevicePane = container.NewVBox(d.deviceText, d.userCode, container.NewHBox(d.qr))
	d.signing = container.NewVBox(container.NewBorder(nil, nil, d.spinner, nil, d.waiting), d.inBrowser, d.onDevicePane, container.NewHBox(d.cancel))

	d.body = container.NewVBox(d.title, d.state, d.identity, d.expires, d.ends, d.problem, d.signing, d.actAsRow,
		container.NewGridWithColumns(2, d.copy, d.header, d.check, d.renew, d.signIn, d.signOut, d.inspect, d.edit, d.remove),
		d.onDevice, d.recent)
	d.pick = widget.NewLabel("Choose an account on the left.")
	d.box = container.NewStack(d.pick, d.body)
	d.body.Hide()
	return d
}

// show shows a, updating the pane's widgets in place.
func (d *detail) show(a model.Account) {
	if a.ID == "" {
		d.body.Hide()
		d.pick.Show()
		return
	}
	if a.ID != d.a.ID { // another account: what was typed for the last one goes
		d.paste.SetText("")
		d.pasteErr.SetText("")
		d.recent.Hide()
		d.w.refreshRecent(a.ID)
	}
	d.a = a
	d.pick.Hide()
	d.body.Show()
	d.title.SetText(a.Name + " — " + words.ProviderTitle(a.Provider))
	d.tick()
	setText(d.identity, "Signed in as "+a.Identity, a.Identity != "")
	setText(d.ends, "Sign-in ends "+a.RefreshExpiry.Local().Format("2 Jan 2006"), !a.RefreshExpiry.IsZero())
	has := a.State.HasCredential()
	for _, b := range []*widget.Button{d.copy, d.check, d.renew, d.signOut, d.inspect} {
		visible(b, has)
	}
	d.copy.SetText("Copy " + words.CredentialName(a))
	visible(d.header, has && !a.Session)
	visible(d.signIn, !a.SigningIn)
	if has {
		d.signIn.SetText("Sign in again…")
	} else {
		d.signIn.SetText("Sign in…")
	}
	visible(d.onDevice, !a.SigningIn && a.DeviceSignIn)
	if a.SigningIn {
		d.showSigning(a)
		d.signing.Show()
		d.spinner.Start()
	} else {
		d.signing.Hide()
		d.spinner.Stop()
	}
	d.users(a)
	d.body.Refresh() // wrapped lines take their height from the pane's width, known by now
}

// tick updates what moves with the clock: the state line, the expiry and the problem's retry.
func (d *detail) tick() {
	a, now := d.a, d.w.now()
	if a.ID == "" {
		return
	}
	d.state.SetText(capitalize(words.Summary(a, now)) + unsavedNote(a))
	setText(d.expires, "Expires "+a.Expiry.Local().Format("15:04:05, 2 Jan"), !a.Expiry.IsZero() && !a.Session && a.State.HasCredential())
	s := words.Sentence(a, now)
	setText(d.problem, s, s != "" && a.State != model.Valid)
}

func unsavedNote(a model.Account) string {
	if a.Unsaved {
		return " (not yet in the keyring)"
	}
	return ""
}

// users shows the OnSIP users the account can act as, when there are several.
func (d *detail) users(a model.Account) {
	if len(a.Users) < 2 {
		d.actAsRow.Hide()
		return
	}
	var names []string
	current := ""
	for _, u := range a.Users {
		names = append(names, u.Name+" ("+u.ID+")")
		if u.ID == a.CurrentUser {
			current = u.Name + " (" + u.ID + ")"
		}
	}
	d.actAs.OnChanged = nil
	if !slices.Equal(d.actAs.Options, names) {
		d.actAs.SetOptions(names)
	}
	d.actAs.SetSelected(current)
	d.actAs.OnChanged = func(label string) {
		for _, u := range a.Users {
			if u.Name+" ("+u.ID+")" == label && u.ID != d.a.CurrentUser {
				d.w.ActAs(a.ID, u)
			}
		}
	}
	d.actAsRow.Show()
}

func setText(l *widget.Label, text string, show bool) {
	if !show {
		l.Hide()
		return
	}
	l.SetText(text)
	l.Show()
}

func visible(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

func capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return string(unicode.ToUpper(r[0])) + string(r[1:])
}

func wrap(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// showRecent shows the account's newest hand-outs under its actions.
func (d *detail) showRecent(id model.AccountID, hs []model.HandOut) {
	if id != d.a.ID {
		return // the person chose another account meanwhile
	}
	if len(hs) == 0 {
		d.recent.Hide()
		return
	}
	lines := []string{"Recent use:"}
	for _, h := range hs {
		how := h.Via
		if h.Command != "" {
			how += " " + h.Command
		}
		if h.Program != "" {
			how += " — " + filepath.Base(h.Program)
			if h.Parent != "" {
				how += " (run by " + filepath.Base(h.Parent) + ")"
			}
		}
		lines = append(lines, "  "+h.Time.Local().Format("15:04:05, 2 Jan")+"   "+how)
	}
	d.recent.SetText(strings.Join(lines, "\n"))
	d.recent.Show()
}

// showSigning shows how the sign-in in progress waits: for this computer's browser (the address,
// Open again, Copy link, the paste box), or on another device (the code, the address, a QR code).
func (d *detail) showSigning(a model.Account) {
	dev := a.SignInDevice
	if dev == nil {
		d.waiting.SetText("Waiting for the browser: finish signing in there.")
		d.address.SetText(cmp.Or(a.SignInURL, "opening the browser…"))
		d.inBrowser.Show()
		d.onDevicePane.Hide()
		return
	}
	d.waiting.SetText("Waiting for you to sign in on the other device.")
	d.inBrowser.Hide()
	d.deviceText.SetText("On your phone or another computer, open " + dev.VerificationURI +
		" and enter this code (or scan the square, which opens the address with the code in it):")
	d.userCode.SetText(dev.UserCode)
	scan := cmp.Or(dev.Complete, dev.VerificationURI)
	if scan != d.qrFor {
		if img, err := qrcode.New(scan, qrcode.Medium); err == nil {
			img.DisableBorder = false
			d.qr.Image = img.Image(320)
		}
		d.qrFor = scan
		d.qr.Refresh()
	}
	d.onDevicePane.Show()
}
