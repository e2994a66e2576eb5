//go:build window

package main

import "runtime"

// runtimeNeedsDisplay: on Linux and the BSDs a window needs an X or Wayland display.
func runtimeNeedsDisplay() bool { return runtime.GOOS != "windows" && runtime.GOOS != "darwin" }
