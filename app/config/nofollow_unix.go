//go:build unix

package config

import "syscall"

// oNoFollow makes opening a file that is a symbolic link fail (ELOOP), rather than open its target.
const ONoFollow = syscall.O_NOFOLLOW
