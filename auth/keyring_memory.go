package auth

import (
	"strings"
	"sync"
)

// MemoryKeyring keeps secrets in memory, as Keyring keeps them in the system's: for tests and
// benchmarks that are not about the keyring. Safe for concurrent use.
type MemoryKeyring struct {
	mu sync.Mutex
	m  map[string]string // account/key → value
}

// NewMemoryKeyring returns an empty MemoryKeyring.
func NewMemoryKeyring() *MemoryKeyring { return &MemoryKeyring{m: map[string]string{}} }

// Get returns the secret, or ErrNotFound.
func (k *MemoryKeyring) Get(account, key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[account+"/"+key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores the secret.
func (k *MemoryKeyring) Set(account, key, value string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[account+"/"+key] = value
	return nil
}

// Delete removes the secret; one that is not there is no error.
func (k *MemoryKeyring) Delete(account, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, account+"/"+key)
	return nil
}

// DeleteAccount removes every secret of the account.
func (k *MemoryKeyring) DeleteAccount(account string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	for key := range k.m {
		if strings.HasPrefix(key, account+"/") {
			delete(k.m, key)
		}
	}
	return nil
}
