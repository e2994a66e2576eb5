package logging

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"tokentray/auth"
)

func TestLogNeverShowsASecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "tokentray.log")
	var stderr bytes.Buffer
	log, closer, err := OpenLog(path, true, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"AT-1111", "RT-2222", "CODE-3333", "VERIFIER-4444", "CS-5555", "PW-6666", "SESS-7777", "XOXP-8888", "IDT-9999",
		"RT-aaaa", "RT-bbbb", "RT-cccc"}
	log.Info("signed in", "token", auth.Secret(secrets[0]))                                   // a Secret under any key
	log.Info("refreshed", "refresh_token", secrets[1], "expires_in", 3599)                    // a secret key with a plain string
	log.Info("callback", "url", "http://127.0.0.1:5555/callback?code="+secrets[2]+"&state=s") // a callback URL
	log.Debug("pkce", slog.Group("flow", "code_verifier", secrets[3]))                        // inside a group
	log.With("client_secret", secrets[4]).Info("exchange")                                    // via With
	log.Warn("onsip login failed", "err", errors.New("SessionCreate Password="+secrets[5]+" refused"))
	log.Info("session "+"SessionId="+secrets[6], "user", "alice") // in the message itself
	log.Info("request", "header", "Authorization: Bearer "+secrets[7])
	log.Info("token response", "body", `{"id_token": "`+secrets[8]+`", "expires_in": 3599}`)
	log.Info("a plain secret value", "value", auth.Secret("x"))
	log.Warn("could not renew", "err", errors.New("could not refresh the token: sign-in required")) // prose, not a pair
	log.Warn("odd answer", "err", errors.New("refresh_token: "+secrets[9]+" refused"))              // key: value
	log.Info("form", "v", fmt.Sprint(map[string][]string{"refresh_token": {secrets[10]}}))          // a Go map printed
	log.Info("env", "line", "MY_REFRESH_TOKEN="+secrets[11])                                        // inside a longer name
	closer.Close()

	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"log file": string(file), "stderr": stderr.String()} {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows the secret %s:\n%s", name, s, out)
			}
		}
		// Redaction keeps what a reader needs: the messages, harmless values and the URL's shape.
		for _, keep := range []string{"signed in", "expires_in=3599", "http://127.0.0.1:5555/callback?", "user=alice", "the token: sign-in required"} {
			if !strings.Contains(out, keep) {
				t.Errorf("%s lost %q:\n%s", name, keep, out)
			}
		}
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 { // Windows: the profile's ACL
		t.Errorf("log file mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestSecretPrintsRedacted(t *testing.T) {
	s := auth.Secret("hunter2")
	var b bytes.Buffer
	slog.New(slog.NewJSONHandler(&b, nil)).Info("x", "s", s) // even an unwrapped handler
	for _, out := range []string{b.String(), s.String(), s.GoString()} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("%q shows the secret", out)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Error("Reveal lost the value")
	}
}
