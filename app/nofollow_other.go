//go:build !unix

package app

// oNoFollow: Windows has no such flag; openPrivate checks with Lstat first.
const oNoFollow = 0
