//go:build !unix

package config

// ONoFollow: Windows has no such flag; openPrivate checks with Lstat first.
const ONoFollow = 0
