package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"

	"tokentray/app/ipc"
)

// handOver runs the program at path as a child with this command's input and output, and exits
// with its code. tokentray-tray.exe is a GUI program, which a console's Ctrl-C does not reach: on
// Ctrl-C this command ends it (a sign-in it waited for then ends in the app too, the pipe gone)
// and exits 130, as a shell does for an interrupt.
func handOver(path string, args []string, stderr io.Writer) int {
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	c := exec.Command(path, args...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := c.Start(); err != nil {
		fmt.Fprintf(stderr, "tokentray: could not start %s: %v\n", path, err)
		return ipc.ExitFailure
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			fmt.Fprintf(stderr, "tokentray: %v\n", err)
			return ipc.ExitFailure
		}
		return ipc.ExitOK
	case <-interrupt:
		_ = c.Process.Kill()
		<-done
		fmt.Fprintln(stderr, "tokentray: cancelled")
		return 130
	}
}
