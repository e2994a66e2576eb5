package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// partsPrefix starts the stored value of a secret kept in parts. A secret that itself starts with
// it is kept in parts too, so a stored value is never mistaken for a manifest.
const partsPrefix = "tokentray:parts:v1:"

func (k *Keyring) setParts(account, key, value string) (string, error) {
	var g [4]byte
	_, _ = rand.Read(g[:]) // crypto/rand.Read never fails on supported platforms
	m := manifest{gen: hex.EncodeToString(g[:]), parts: (len(value) + k.PartSize - 1) / k.PartSize}
	sum := sha256.Sum256([]byte(value))
	m.sum = hex.EncodeToString(sum[:])
	for i := range m.parts {
		end := min((i+1)*k.PartSize, len(value))
		if err := k.set(m.partName(account, key, i), value[i*k.PartSize:end]); err != nil {
			k.deleteParts(account, key, manifest{gen: m.gen, parts: i})
			return "", err
		}
	}
	return m.String(), nil
}

func (k *Keyring) deleteParts(account, key string, m manifest) {
	for i := range m.parts {
		_ = k.del(m.partName(account, key, i))
	}
}

// index lists the keys recorded for account.
func (k *Keyring) index(account string) ([]string, error) {
	s, err := k.get(account + "/")
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return strings.Fields(s), nil
}

func (k *Keyring) addToIndex(account, key string) error {
	keys, err := k.index(account)
	if err != nil || slices.Contains(keys, key) {
		return err
	}
	return k.writeIndex(account, append(keys, key))
}

func (k *Keyring) writeIndex(account string, keys []string) error {
	if len(keys) == 0 {
		err := k.del(account + "/")
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	return k.set(account+"/", strings.Join(keys, "\n"))
}

// manifest is the stored value of a secret kept in parts: "tokentray:parts:v1:<gen>:<parts>:<sha256>".
// gen is random per write, so the parts of a new value never overwrite those of the value it replaces.
type manifest struct {
	gen   string
	parts int
	sum   string
}

func (m manifest) String() string {
	return partsPrefix + m.gen + ":" + strconv.Itoa(m.parts) + ":" + m.sum
}

func (m manifest) partName(account, key string, i int) string {
	return fmt.Sprintf("%s/%s#%s.%d", account, key, m.gen, i+1)
}

func parseManifest(s string) (manifest, bool) {
	rest, ok := strings.CutPrefix(s, partsPrefix)
	if !ok {
		return manifest{}, false
	}
	f := strings.Split(rest, ":")
	if len(f) != 3 {
		return manifest{}, false
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n < 1 {
		return manifest{}, false
	}
	return manifest{gen: f[0], parts: n, sum: f[2]}, true
}
