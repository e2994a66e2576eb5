package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Errors a Keyring returns; test them with errors.Is.
var (
	// ErrNotFound means the account has no secret under that key.
	ErrNotFound = errors.New("no such secret in the keyring")
	// ErrTimeout means the keyring did not answer within Keyring.Timeout, usually because it is
	// locked and waiting on an unlock prompt nobody answers.
	ErrTimeout = errors.New("the system keyring did not answer in time; it may be locked")
	// ErrUnavailable means there is no usable keyring: no Secret Service on the session bus,
	// a collection that cannot be unlocked, or a platform store that refused the call.
	ErrUnavailable = errors.New("the system keyring is not available")
	// ErrCorrupt means a secret stored in parts did not reassemble to what was written.
	ErrCorrupt = errors.New("a secret in the keyring is damaged")
)

// Defaults for Keyring.
const (
	DefaultService  = "tokentray"
	DefaultTimeout  = 5 * time.Second
	DefaultPartSize = 1024 // bytes; Windows caps a credential at 2,560 and macOS near 3 KB hex-encoded
)

// Keyring keeps each account's secrets in the operating system's keyring (Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows) through go-keyring. Items are named
// "<account>/<key>" under Service; a value longer than PartSize is stored as numbered parts plus a
// manifest holding their count and SHA-256, and an index item "<account>/" lists the account's keys
// so that DeleteAccount can remove every part. Every platform call runs under Timeout.
//
// The zero value is not usable; use NewKeyring. Methods are safe for concurrent use within one process.
type Keyring struct {
	Service  string        // keyring service name; DefaultService in production, another for demo mode
	Timeout  time.Duration // limit for each platform call
	PartSize int           // largest value stored in one item, in bytes

	mu sync.Mutex // serialises writers so the index and parts stay consistent
}

// NewKeyring returns a Keyring with the defaults for service.
func NewKeyring(service string) *Keyring {
	return &Keyring{Service: service, Timeout: DefaultTimeout, PartSize: DefaultPartSize}
}

// Set stores value as the account's secret named key, replacing any earlier value.
// Parts of a large value are written before the manifest that names them, and parts of the
// value it replaces are deleted only after, so an interrupted Set leaves the old or the new value whole.
func (k *Keyring) Set(account, key, value string) error {
	if err := checkNames(account, key); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.addToIndex(account, key); err != nil {
		return err
	}
	old, err := k.get(itemName(account, key))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	stored := value
	if len(value) > k.PartSize || strings.HasPrefix(value, partsPrefix) {
		if stored, err = k.setParts(account, key, value); err != nil {
			return err
		}
	}
	if err := k.set(itemName(account, key), stored); err != nil {
		return err
	}
	if m, ok := parseManifest(old); ok {
		k.deleteParts(account, key, m) // best effort: a leftover part is harmless and unreferenced
	}
	return nil
}

// Get returns the account's secret named key, or ErrNotFound.
func (k *Keyring) Get(account, key string) (string, error) {
	if err := checkNames(account, key); err != nil {
		return "", err
	}
	stored, err := k.get(itemName(account, key))
	if err != nil {
		return "", err
	}
	m, ok := parseManifest(stored)
	if !ok {
		return stored, nil
	}
	var b strings.Builder
	for i := range m.parts {
		p, err := k.get(m.partName(account, key, i))
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return "", fmt.Errorf("could not read %s of account %s: part %d is missing: %w", key, account, i+1, ErrCorrupt)
			}
			return "", err
		}
		b.WriteString(p)
	}
	sum := sha256.Sum256([]byte(b.String()))
	if hex.EncodeToString(sum[:]) != m.sum {
		return "", fmt.Errorf("could not read %s of account %s: checksum mismatch: %w", key, account, ErrCorrupt)
	}
	return b.String(), nil
}

// Delete removes the account's secret named key and all its parts. Deleting a missing secret is not an error.
func (k *Keyring) Delete(account, key string) error {
	if err := checkNames(account, key); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.deleteKey(account, key); err != nil {
		return err
	}
	keys, err := k.index(account)
	if err != nil {
		return err
	}
	return k.writeIndex(account, slices.DeleteFunc(keys, func(s string) bool { return s == key }))
}

// DeleteAccount removes every secret of the account, with all their parts, and its index.
func (k *Keyring) DeleteAccount(account string) error {
	if err := checkNames(account, "x"); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	keys, err := k.index(account)
	if err != nil {
		return err
	}
	for _, key := range keys {
		if err := k.deleteKey(account, key); err != nil {
			return err
		}
	}
	return k.writeIndex(account, nil)
}

// DeleteService removes every item under the Keyring's service name (demo mode's cleanup).
func (k *Keyring) DeleteService() error {
	err := k.call("delete from", func() error { return keyring.DeleteAll(k.Service) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func (k *Keyring) deleteKey(account, key string) error {
	stored, err := k.get(itemName(account, key))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := k.del(itemName(account, key)); err != nil {
		return err
	}
	if m, ok := parseManifest(stored); ok {
		k.deleteParts(account, key, m)
	}
	return nil
}

// The three platform calls, each under the timeout and with its error classified.

func (k *Keyring) get(user string) (string, error) {
	var v string
	err := k.call("read from", func() (err error) { v, err = keyring.Get(k.Service, user); return err })
	return v, err
}

func (k *Keyring) set(user, value string) error {
	return k.call("write to", func() error { return keyring.Set(k.Service, user, value) })
}

func (k *Keyring) del(user string) error {
	return k.call("delete from", func() error { return keyring.Delete(k.Service, user) })
}

// call runs f with the Keyring's timeout. A call that times out is left to finish on its own
// goroutine: go-keyring cannot be interrupted, and a blocked unlock prompt must not block Tokentray.
func (k *Keyring) call(op string, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	t := time.NewTimer(k.Timeout)
	defer t.Stop()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrNotFound
		default:
			return fmt.Errorf("could not %s the system keyring: %w: %v", op, ErrUnavailable, err)
		}
	case <-t.C:
		return fmt.Errorf("could not %s the system keyring within %s: %w", op, k.Timeout, ErrTimeout)
	}
}

func itemName(account, key string) string { return account + "/" + key }

func checkNames(account, key string) error {
	for _, s := range []string{account, key} {
		if s == "" || strings.ContainsAny(s, "/#\n") {
			return fmt.Errorf("invalid keyring name %q: it must be non-empty and free of '/', '#' and newlines", s)
		}
	}
	return nil
}
