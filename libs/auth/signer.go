package auth

import (
	"crypto/rsa"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Signer mints user tokens, as an identity provider would: with the HS256
// secret in development, or an RS256 private key. No Trust Engine process
// holds one outside development; tests and devtoken do.
type Signer struct {
	method jwt.SigningMethod
	key    any
}

// NewHS256Signer signs with a shared secret.
func NewHS256Signer(secret []byte) *Signer {
	return &Signer{method: jwt.SigningMethodHS256, key: secret}
}

// NewRS256Signer signs with an RSA private key.
func NewRS256Signer(key *rsa.PrivateKey) *Signer {
	return &Signer{method: jwt.SigningMethodRS256, key: key}
}

// Mint signs c, valid for ttl from now.
func (s *Signer) Mint(c Claims, ttl time.Duration) (string, error) {
	tok, err := mint(s.method, s.key, c, "", ttl)
	if err != nil {
		return "", fmt.Errorf("auth.Signer.Mint: %w", err)
	}
	return tok, nil
}
