package window

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/model"
	"tokentray/tray/words"
)

// row is one account in the list, in two lines: a state dot, the name and a live countdown
// ("valid 52:10") with an inline Copy button; under the name, small, the provider and who is
// signed in. Rows are recycled by the list, so each holds the id it shows now.
type row struct {
	id    model.AccountID
	dot   *canvas.Circle
	name  *widget.Label
	about *widget.Label // "Avaya Spaces · Test User <test@avaya.com>"
	left  *widget.Label
	copy  *widget.Button
}

func (w *Window) newList() *widget.List {
	rows := map[fyne.CanvasObject]*row{}
	l := widget.NewList(
		func() int { return len(w.accounts) },
		func() fyne.CanvasObject {
			r := &row{dot: canvas.NewCircle(color.Gray{Y: 0x99}), name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
				about: widget.NewLabel(""), left: widget.NewLabel("")}
			r.name.Truncation = fyne.TextTruncateEllipsis
			r.about.Truncation, r.about.SizeName, r.about.Importance = fyne.TextTruncateEllipsis, theme.SizeNameCaptionText, widget.LowImportance
			r.copy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { w.Copy(r.id, false) })
			dot := container.NewGridWrap(fyne.NewSquareSize(12), r.dot)
			// the second line sits close under the name: a label's padding, above and below, is
			// for a line of its own
			pad := theme.InnerPadding()
			top := container.New(layout.NewCustomPaddedLayout(0, -pad/2, 0, 0), container.NewBorder(nil, nil, nil, r.left, r.name))
			about := container.New(layout.NewCustomPaddedLayout(-pad, -pad/2, 0, 0), r.about)
			o := container.NewBorder(nil, nil, container.NewCenter(dot), container.NewCenter(r.copy), container.NewVBox(top, about))
			rows[o] = r
			return o
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := rows[o]
			if r == nil || i >= len(w.accounts) {
				return
			}
			a := w.accounts[i]
			r.id = a.ID
			r.dot.FillColor = stateColor(a)
			r.dot.Refresh()
			r.name.SetText(a.Name)
			r.about.SetText(about(a))
			r.left.SetText(countdown(a, w.now()))
			if a.State.HasCredential() {
				r.copy.Enable()
			} else {
				r.copy.Disable()
			}
			o.Refresh() // lay the row out again: its countdown may have grown ("valid 9:59" to "retrying — network")
		})
	l.OnSelected = func(i widget.ListItemID) {
		if i < len(w.accounts) {
			w.selected = w.accounts[i].ID
			w.detail.show(w.accounts[i])
		}
	}
	return l
}

// about is a row's second line: the provider and who is signed in.
func about(a model.Account) string {
	if a.Identity == "" {
		return words.ProviderTitle(a.Provider)
	}
	return words.ProviderTitle(a.Provider) + " · " + a.Identity
}

// countdown is the short state a row shows: "valid 52:10", "signing in…", "sign-in required".
func countdown(a model.Account, now time.Time) string {
	switch {
	case a.SigningIn && !a.State.HasCredential():
		return "signing in…"
	case a.State == model.Valid && a.Session:
		return "session active"
	case a.State == model.Valid || a.State == model.Refreshing:
		left := a.Expiry.Sub(now).Round(time.Second)
		if left <= 0 {
			return "renewing…"
		}
		if left >= time.Hour {
			return fmt.Sprintf("valid %d:%02d:%02d", int(left.Hours()), int(left.Minutes())%60, int(left.Seconds())%60)
		}
		return fmt.Sprintf("valid %d:%02d", int(left.Minutes()), int(left.Seconds())%60)
	}
	return words.Summary(a, now)
}

// stateColor is the dot's colour: green when fine, yellow while retrying, red when the person
// must act, blue while signing in, grey when signed out.
func stateColor(a model.Account) color.Color {
	name := theme.ColorNameDisabled
	switch {
	case a.SigningIn:
		name = theme.ColorNamePrimary
	case a.State.NeedsUser():
		name = theme.ColorNameError
	case a.State == model.Valid || a.State == model.Refreshing:
		name = theme.ColorNameSuccess
	case a.State == model.Retrying || a.State == model.Paused:
		name = theme.ColorNameWarning
	}
	return theme.Color(name)
}
