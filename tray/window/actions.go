package window

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/model"
	"tokentray/tray/words"
)

// Each action runs away from Fyne's goroutine, calls the core, and says how it went in the
// status line, naming the account: the window is where the person looks.

func (w *Window) do(f func() string) {
	w.async(func() {
		msg := f()
		fyne.Do(func() { w.say(msg) })
	})
}

func (w *Window) name(id model.AccountID) string {
	if a := w.account(id); a.Name != "" {
		return a.Name
	}
	return "the account"
}

// Copy puts a fresh credential of the account on the clipboard (as an Authorization header with
// asHeader), cleared after the clipboard_clear setting if it is still there.
func (w *Window) Copy(id model.AccountID, asHeader bool) {
	a := w.account(id)
	w.do(func() string {
		cred, err := w.core.Credential(context.Background(), id, model.Default)
		if err != nil {
			return "Could not copy " + a.Name + "'s " + words.CredentialName(a) + ": " + err.Error()
		}
		text := cred.Value
		if asHeader {
			text = "Authorization: " + cred.Type + " " + cred.Value
		}
		clearAfter := w.core.Preferences().ClipboardClear
		fyne.DoAndWait(func() {
			w.app.Clipboard().SetContent(text)
			w.toClear = ""
			if clearAfter > 0 {
				w.toClear = text
			}
		})
		if clearAfter > 0 {
			time.AfterFunc(clearAfter, func() { fyne.Do(func() { w.clearClipboard(text) }) })
		}
		w.refreshRecent(id)
		return words.CopiedMessage(a, cred.Expiry, w.now(), asHeader, clearAfter)
	})
}

// refreshRecent fetches the account's newest hand-outs for its details, away from Fyne's goroutine.
func (w *Window) refreshRecent(id model.AccountID) {
	if !w.started || id == "" {
		return
	}
	w.async(func() {
		hs, err := w.core.Audit(id, 3)
		if err != nil {
			return // the record is a courtesy: the pane goes without it
		}
		fyne.Do(func() { w.detail.showRecent(id, hs) })
	})
}

// Check asks the provider who the credential belongs to.
func (w *Window) Check(id model.AccountID) {
	name := w.name(id)
	w.say("Checking " + name + "…")
	w.do(func() string {
		who, err := w.core.Check(context.Background(), id)
		if err != nil {
			return "Check of " + name + " failed: " + err.Error()
		}
		return fmt.Sprintf("%s works: the provider says you are %s.", name, who)
	})
}

// Inspect shows what the credential says (a JWT's claims, its signature, the provider's
// introspection) in a dialog of its own, without showing the credential.
func (w *Window) Inspect(id model.AccountID) {
	name := w.name(id)
	w.say("Inspecting " + name + "'s credential…")
	w.async(func() {
		in, err := w.core.Inspect(context.Background(), id)
		fyne.Do(func() {
			if err != nil {
				w.say("Could not inspect " + name + ": " + err.Error())
				return
			}
			w.say("")
			text := widget.NewLabelWithStyle(words.InspectionText(in, w.now()), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			text.Selectable = true
			scroll := container.NewScroll(text)
			scroll.SetMinSize(fyne.NewSize(680, 420))
			dialog.ShowCustom(name+" — what its credential says", "Close", scroll, w.win)
		})
	})
}

// RenewNow renews the credential now.
func (w *Window) RenewNow(id model.AccountID) {
	name := w.name(id)
	w.say("Renewing " + name + "…")
	w.do(func() string {
		if err := w.core.RenewNow(context.Background(), id); err != nil {
			return "Could not renew " + name + ": " + err.Error()
		}
		return name + " renewed."
	})
}

// SignIn starts the account's sign-in; the pane shows its progress.
func (w *Window) SignIn(id model.AccountID) {
	name := w.name(id)
	w.do(func() string {
		if err := w.core.SignIn(context.Background(), id); err != nil {
			return "Could not sign in to " + name + ": " + err.Error()
		}
		return "Signing in to " + name + ": finish in your browser."
	})
}

// SignInOnDevice signs in on another device: the details show the code, the address and a QR
// code to scan, for a machine whose browser cannot come back to this one (over SSH, say).
func (w *Window) SignInOnDevice(id model.AccountID) {
	name := w.name(id)
	w.do(func() string {
		if err := w.core.SignInOnDevice(context.Background(), id); err != nil {
			return "Could not sign in to " + name + ": " + err.Error()
		}
		return "Signing in to " + name + " on another device: enter the code shown there."
	})
}

// SignOut signs the account out.
func (w *Window) SignOut(id model.AccountID) {
	name := w.name(id)
	w.do(func() string {
		if err := w.core.SignOut(context.Background(), id); err != nil {
			return "Signing out of " + name + ": " + err.Error()
		}
		return "Signed out of " + name + "."
	})
}

// CancelSignIn ends the sign-in that waits for the browser.
func (w *Window) CancelSignIn(id model.AccountID) {
	name := w.name(id)
	w.do(func() string {
		if err := w.core.CancelSignIn(id); err != nil {
			return err.Error()
		}
		return "Sign-in to " + name + " cancelled."
	})
}

// OpenAgain opens the sign-in's address in the browser again.
func (w *Window) OpenAgain(id model.AccountID) {
	a := w.account(id)
	if a.SignInURL == "" {
		return
	}
	if err := w.open(a.SignInURL); err != nil {
		w.say("Could not open the browser: " + err.Error() + ". Copy the link and open it yourself.")
		return
	}
	w.say("Opened the sign-in page of " + a.Name + " in your browser.")
}

// CopyLink puts the sign-in's address on the clipboard.
func (w *Window) CopyLink(id model.AccountID) {
	a := w.account(id)
	w.app.Clipboard().SetContent(a.SignInURL)
	w.say("Copied the sign-in address of " + a.Name + ": open it in your browser.")
}

// Paste hands what was pasted to the sign-in; a paste that is not its answer is said at the
// paste box, and the sign-in goes on.
func (w *Window) Paste(id model.AccountID, text string) {
	name := w.name(id)
	w.async(func() {
		err := w.core.Paste(id, text)
		fyne.Do(func() {
			if err != nil {
				w.detail.pasteErr.SetText(err.Error())
				return
			}
			w.detail.pasteErr.SetText("")
			w.detail.paste.SetText("")
			w.say("Finishing the sign-in to " + name + "…")
		})
	})
}

// ActAs makes an OnSIP account act as another of its users.
func (w *Window) ActAs(id model.AccountID, u model.User) {
	name := w.name(id)
	w.do(func() string {
		if err := w.core.ChooseUser(context.Background(), id, u.ID); err != nil {
			return "Could not switch " + name + " to " + u.Name + ": " + err.Error()
		}
		return name + " now acts as " + u.Name + "."
	})
}

// Remove removes the account, once the person confirms.
func (w *Window) Remove(id model.AccountID) {
	name := w.name(id)
	dialog.ShowConfirm("Remove "+name+"?", "Tokentray signs it out, deletes its secrets from the keyring and removes it from the accounts file.",
		func(ok bool) {
			if !ok {
				return
			}
			w.do(func() string {
				if err := w.core.RemoveAccount(context.Background(), id); err != nil {
					return "Could not remove " + name + ": " + err.Error()
				}
				fyne.Do(func() {
					if w.selected == id {
						w.selected = ""
						w.list.UnselectAll()
					}
				})
				return "Removed " + name + "."
			})
		}, w.win)
}

// clearClipboard clears the clipboard if it still holds text, the credential copied last. On
// Fyne's goroutine.
func (w *Window) clearClipboard(text string) {
	if text == "" || text != w.toClear {
		return
	}
	w.toClear = ""
	if w.app.Clipboard().Content() == text {
		w.app.Clipboard().SetContent("")
	}
}
