package tray

// Desktop shows notifications. Open, when set, is called when the person clicks one (its
// default action): the accounts window comes forward.
type Desktop interface {
	Notify(title, body string) error
}
