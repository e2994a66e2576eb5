package window

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/model"
	"tokentray/tray/words"
)

// row is one line of the account list: a state dot, the name, the provider, a live countdown and
// an inline Copy button. Rows are recycled by the list, so each holds the id it shows now.
type row struct {
	id       string
	dot      *canvas.Circle
	name     *widget.Label
	provider *widget.Label
	left     *widget.Label
	copy     *widget.Button
}

func (w *Window) newList() *widget.List {
	rows := map[fyne.CanvasObject]*row{}
	l := widget.NewList(
		func() int { return len(w.accounts) },
		func() fyne.CanvasObject {
			r := &row{dot: canvas.NewCircle(color.Gray{Y: 0x99}), name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
				provider: widget.NewLabel(""), left: widget.NewLabel("")}
			r.name.Truncation = fyne.TextTruncateEllipsis
			r.provider.Truncation = fyne.TextTruncateEllipsis
			r.provider.Importance = widget.LowImportance
			r.copy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { w.Copy(r.id, false) })
			dot := container.NewGridWrap(fyne.NewSquareSize(12), r.dot)
			o := container.NewBorder(nil, nil, container.NewCenter(dot), container.NewHBox(r.left, r.copy),
				container.NewGridWithColumns(2, r.name, r.provider))
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
			r.provider.SetText(words.ProviderTitle(a.Provider))
			r.left.SetText(countdown(a, w.now()))
			if a.State.HasCredential() {
				r.copy.Enable()
			} else {
				r.copy.Disable()
			}
		})
	l.OnSelected = func(i widget.ListItemID) {
		if i < len(w.accounts) {
			w.selected = w.accounts[i].ID
			w.detail.show(w.accounts[i])
		}
	}
	return l
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
