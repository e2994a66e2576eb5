package auth_test

import (
	"strings"
	"testing"

	"tokentray/auth"
)

// Credential Manager caps one credential at 2,560 bytes: a longer value (a JWT with many claims)
// is stored in parts and read back whole, and deleting the account removes every part.
func TestCredentialManagerTakesALongValueInParts(t *testing.T) {
	k := auth.NewKeyring("tokentray-wine-test")
	value := strings.Repeat("eyJhbGciOiJSUzI1NiJ9.", 300) // 6,600 bytes
	if err := k.Set("acct", "token", value); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("acct", "token"); err != nil || got != value {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}
	if err := k.DeleteAccount("acct"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("acct", "token"); err == nil {
		t.Fatal("the value outlived DeleteAccount")
	}
}
