package auth

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Signer mints tokens with the deployment's signing key: the HS256 secret in
// development, or an RS256 private key in production (whose public key the
// services verify with). Services use it for their own service tokens, so
// switching a deployment to RS256 does not break calls between services.
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

// NewSignerFromConfig builds an RS256 signer from a PEM private key file when
// privateKeyFile is set, else an HS256 signer from secret. It mirrors
// NewVerifierFromConfig: a deployment that verifies with RS256 must give its
// services the private key to sign their service tokens.
func NewSignerFromConfig(secret, privateKeyFile string) (*Signer, error) {
	if privateKeyFile == "" {
		if secret == "" {
			return nil, errors.New("auth.NewSignerFromConfig: empty HS256 secret")
		}
		return NewHS256Signer([]byte(secret)), nil
	}
	pemBytes, err := os.ReadFile(privateKeyFile)
	if err != nil {
		return nil, fmt.Errorf("auth.NewSignerFromConfig: %w", err)
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("auth.NewSignerFromConfig: jwt.ParseRSAPrivateKeyFromPEM: %w", err)
	}
	return NewRS256Signer(key), nil
}

// Mint signs c, valid for ttl from now.
func (s *Signer) Mint(c Claims, ttl time.Duration) (string, error) {
	tok, err := mint(s.method, s.key, c, ttl)
	if err != nil {
		return "", fmt.Errorf("auth.Signer.Mint: %w", err)
	}
	return tok, nil
}
