package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
)

// APIKey is a credential of one client application for one tenant. The
// secret itself is never stored; SecretHash is its SHA-256.
type APIKey struct {
	ID         string
	Tenant     string
	ClientName string
	KeyID      string
	SecretHash []byte
	CreatedBy  string
	CreateTime time.Time
	RevokeTime *time.Time
}

// Prefix is the public part of the key shown in lists.
func (k APIKey) Prefix() string { return keyPrefix + k.KeyID }

// keyPrefix marks Trust Engine keys so that leaked ones are easy to find in
// code and logs (secret scanners match on it).
const keyPrefix = "te_"

// keyPattern is the shape of a key: te_, 12 hex digits, _, 43 base64url
// characters (32 random bytes).
var keyPattern = regexp.MustCompile(`^te_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$`)

// NewAPIKeySecret returns a fresh key id, the plaintext key to hand out once,
// and the hash to store.
func NewAPIKeySecret() (keyID, key string, hash []byte, err error) {
	var id [6]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", "", nil, err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", "", nil, err
	}
	keyID = hex.EncodeToString(id[:])
	s := base64.RawURLEncoding.EncodeToString(secret[:])
	sum := sha256.Sum256([]byte(s))
	return keyID, keyPrefix + keyID + "_" + s, sum[:], nil
}

// ParseAPIKey splits a presented key into its id and the hash of its secret;
// ok is false when the key is not of the issued shape.
func ParseAPIKey(key string) (keyID string, hash []byte, ok bool) {
	m := keyPattern.FindStringSubmatch(key)
	if m == nil {
		return "", nil, false
	}
	sum := sha256.Sum256([]byte(m[2]))
	return m[1], sum[:], true
}

// Verify checks a presented secret's hash against k: a wrong secret and a
// revoked key are ErrInvalidAPIKey, like an unknown one.
func (k APIKey) Verify(hash []byte) error {
	if subtle.ConstantTimeCompare(k.SecretHash, hash) != 1 || k.RevokeTime != nil {
		return ErrInvalidAPIKey
	}
	return nil
}

// MayManageKeys refuses callers who manage no API keys: a municipality's
// admin manages its keys, a platform admin any municipality's.
func MayManageKeys(c access.Caller) error {
	if c.RequireAdmin() != nil {
		return apperr.PermissionDenied("API keys are managed by the tenant's municipal admin or a platform admin")
	}
	return nil
}

// KeyTenant resolves the municipality an API-key request is about (the
// caller's own by default) and whether c manages its keys.
func KeyTenant(c access.Caller, requested string) (string, error) {
	tenant, err := c.Tenant(requested, "tenant")
	if err != nil {
		return "", err
	}
	if err := MayManageKeys(c); err != nil {
		return "", err
	}
	return tenant, nil
}

// CheckClientName trims and checks the name of a client application.
func CheckClientName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if r := TextRule(name, MaxReporterField, true); r != "" {
		return "", apperr.Invalid("client_name", r)
	}
	return name, nil
}
