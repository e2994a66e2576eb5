package ipc

import "os"

// ownerOf: Windows has no uid; a folder in %LocalAppData% is the user's by its place.
func ownerOf(os.FileInfo) (int, bool) { return -1, false }

// othersCanChange: Windows keeps who may write a file in its ACL, which the installer sets (a
// per-user install in %LocalAppData%); nothing to read here.
func othersCanChange(os.FileInfo) string { return "" }
