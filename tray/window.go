package tray

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// noTrayText explains a desktop without a tray host instead of leaving the app running invisibly.
const noTrayText = "Tokentray could not find a system tray on this desktop, so it is showing this window instead. " +
	"On GNOME, install the “AppIndicator and KStatusNotifierItem Support” extension and start Tokentray again. " +
	"Closing this window quits Tokentray."

// accountsContent is the accounts window's content. For now it lists the configured accounts and
// explains how accounts are added; the account forms come with sign-in.
func accountsContent(info Info, s MenuState) fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Accounts", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	var body []fyne.CanvasObject
	if !info.TrayAvailable {
		body = append(body, container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, wrap(noTrayText)))
	}
	switch {
	case s.Problem != "":
		body = append(body, container.NewBorder(nil, nil, widget.NewIcon(theme.ErrorIcon()), nil,
			wrap("The accounts file could not be read, and Tokentray will not change it until it is fixed:\n"+s.Problem)))
	case len(s.Accounts) == 0:
		body = append(body, wrap("No accounts yet."),
			wrap("Tokentray will keep a fresh token for each of your OnSIP, Net2Phone Canada, Avaya Spaces and "+
				"OpenID Connect accounts. Adding an account here, with its sign-in through your browser, is coming next; "+
				"until then accounts are read from the file below."))
	default:
		list := widget.NewList(func() int { return len(s.Accounts) },
			func() fyne.CanvasObject { return widget.NewLabel("") },
			func(i widget.ListItemID, o fyne.CanvasObject) {
				o.(*widget.Label).SetText(s.Accounts[i].Name + " — " + s.Accounts[i].Summary(s.Now))
			})
		body = append(body, container.NewGridWrap(fyne.NewSize(420, 160), list))
	}
	details := widget.NewForm(
		widget.NewFormItem("Accounts file", selectable(info.ConfigPath)),
		widget.NewFormItem("Secrets", widget.NewLabel(fmt.Sprintf("System keyring, service “%s”", info.KeyringService))),
		widget.NewFormItem("Log", selectable(info.LogPath)),
		widget.NewFormItem("Version", widget.NewLabel(info.Version)),
	)
	return container.NewPadded(container.NewVBox(append(append([]fyne.CanvasObject{title}, body...),
		widget.NewSeparator(), details)...))
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
