// Package about is what the programs say of themselves: the app's id, name, version and build.
// FyneApp.toml at the top of the tree is the one source (Fyne's packaging reads it); these are its
// [Details], and TestAboutIsFyneAppTOML fails the moment the two differ.
package about

const (
	ID      = "io.github.tokentray.Tokentray"
	Name    = "Tokentray"
	Version = "0.1.0"
	Build   = 2
)
