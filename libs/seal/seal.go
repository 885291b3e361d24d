// Package seal encrypts GBV ticket content at rest with AES-256-GCM under a
// keyring: every ciphertext names the key that sealed it, so keys can be
// rotated by adding a new active key while old ones stay for reading.
package seal

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// DevKeys is a development-only keyring (one key, the ASCII text
// "dev-only-gbv-key-do-not-use-!!!!"). It is the
// config default so `make run` works; never use it with real reports.
const DevKeys = "dev:ZGV2LW9ubHktZ2J2LWtleS1kby1ub3QtdXNlLSEhISE="

// devKey is the key of DevKeys, found in a ring under any kid.
var devKey = []byte("dev-only-gbv-key-do-not-use-!!!!")

// Sealed is one encrypted value and what is needed to open it.
type Sealed struct {
	// KeyID names the key that sealed it.
	KeyID string
	// Nonce is the GCM nonce, unique per sealing.
	Nonce []byte
	// Ciphertext includes the GCM tag.
	Ciphertext []byte
}

// Keyring seals with its active key and opens with any key it holds.
type Keyring struct {
	active string
	aeads  map[string]cipher.AEAD
	// dev is set when one of the keys is the published development key.
	dev bool
}

// ParseKeyring builds a keyring from "kid:base64key,kid2:base64key" (each key
// 32 bytes, AES-256) and the id of the key that seals new values.
func ParseKeyring(spec, active string) (*Keyring, error) {
	k := &Keyring{active: active, aeads: map[string]cipher.AEAD{}}
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, b64, ok := strings.Cut(part, ":")
		if !ok || id == "" {
			return nil, errors.New("seal.ParseKeyring: each key must be kid:base64")
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("seal.ParseKeyring: key %q: base64: %w", id, err)
		}
		if len(raw) != 32 {
			return nil, fmt.Errorf("seal.ParseKeyring: key %q: must be 32 bytes, got %d", id, len(raw))
		}
		k.dev = k.dev || bytes.Equal(raw, devKey)
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("seal.ParseKeyring: aes.NewCipher: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("seal.ParseKeyring: cipher.NewGCM: %w", err)
		}
		if _, dup := k.aeads[id]; dup {
			return nil, fmt.Errorf("seal.ParseKeyring: key %q given twice", id)
		}
		k.aeads[id] = aead
	}
	if _, ok := k.aeads[active]; !ok {
		return nil, fmt.Errorf("seal.ParseKeyring: active key %q is not in the keyring", active)
	}
	return k, nil
}

// HoldsDevKey reports whether the ring holds the published development key
// (under any kid): content sealed with it is readable by anyone.
func (k *Keyring) HoldsDevKey() bool { return k.dev }

// Seal encrypts plaintext with the active key. aad binds the ciphertext to
// its row (tenant and ticket id), so a ciphertext copied onto another ticket
// fails to open.
func (k *Keyring) Seal(plaintext, aad []byte) (Sealed, error) {
	aead := k.aeads[k.active]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Sealed{}, fmt.Errorf("seal.Seal: rand.Read: %w", err)
	}
	return Sealed{KeyID: k.active, Nonce: nonce, Ciphertext: aead.Seal(nil, nonce, plaintext, aad)}, nil
}

// Open decrypts s with the key it names.
func (k *Keyring) Open(s Sealed, aad []byte) ([]byte, error) {
	aead, ok := k.aeads[s.KeyID]
	if !ok {
		return nil, fmt.Errorf("seal.Open: unknown key %q", s.KeyID)
	}
	if len(s.Nonce) != aead.NonceSize() {
		return nil, errors.New("seal.Open: bad nonce length")
	}
	pt, err := aead.Open(nil, s.Nonce, s.Ciphertext, aad)
	if err != nil {
		return nil, fmt.Errorf("seal.Open: %w", err)
	}
	return pt, nil
}
