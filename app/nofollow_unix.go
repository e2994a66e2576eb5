//go:build unix

package app

import "syscall"

// oNoFollow makes opening a file that is a symbolic link fail (ELOOP), rather than open its target.
const oNoFollow = syscall.O_NOFOLLOW
