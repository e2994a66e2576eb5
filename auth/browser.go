package auth

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// OpenBrowser opens url in the system browser: $BROWSER when set (a list separated by ':', each
// entry a command, "%s" standing for the URL), else the platform's opener. The tray app uses
// Fyne's OpenURL instead; this one serves the command line and is the default.
func OpenBrowser(url string) error {
	if b := os.Getenv("BROWSER"); b != "" {
		var last error
		for _, cmd := range strings.Split(b, ":") {
			f := strings.Fields(cmd)
			if len(f) == 0 {
				continue
			}
			args, sub := f[1:], false
			for i, a := range args {
				if strings.Contains(a, "%s") {
					args[i], sub = strings.ReplaceAll(a, "%s", url), true
				}
			}
			if !sub {
				args = append(args, url)
			}
			cmd := exec.Command(f[0], args...)
			if last = cmd.Start(); last == nil {
				go func() { _ = cmd.Wait() }() // reap it: no zombie per sign-in
				return nil
			}
		}
		return fmt.Errorf("could not open the browser from $BROWSER: %w", last)
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not open the browser: %w", err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
