package auth

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// tokenClaims is the wire form of Claims.
type tokenClaims struct {
	Tenant string   `json:"tenant"`
	Roles  []string `json:"roles"`
	jwt.RegisteredClaims
}

// leeway tolerates small clock skew between the minting and verifying machines.
const leeway = 30 * time.Second

// Verifier checks bearer tokens signed with one fixed algorithm and key.
type Verifier struct {
	alg string
	key any
}

// NewHS256Verifier returns a Verifier for tokens signed with the shared secret.
func NewHS256Verifier(secret []byte) *Verifier {
	return &Verifier{alg: jwt.SigningMethodHS256.Alg(), key: secret}
}

// NewRS256Verifier returns a Verifier for tokens signed by the private half of pub.
func NewRS256Verifier(pub *rsa.PublicKey) *Verifier {
	return &Verifier{alg: jwt.SigningMethodRS256.Alg(), key: pub}
}

// NewVerifierFromConfig builds an RS256 verifier from a PEM public key file when
// publicKeyFile is set, else an HS256 verifier from secret.
func NewVerifierFromConfig(secret string, publicKeyFile string) (*Verifier, error) {
	if publicKeyFile == "" {
		if secret == "" {
			return nil, errors.New("auth.NewVerifierFromConfig: empty HS256 secret")
		}
		return NewHS256Verifier([]byte(secret)), nil
	}
	pemBytes, err := os.ReadFile(publicKeyFile)
	if err != nil {
		return nil, fmt.Errorf("auth.NewVerifierFromConfig: %w", err)
	}
	pub, err := jwt.ParseRSAPublicKeyFromPEM(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("auth.NewVerifierFromConfig: jwt.ParseRSAPublicKeyFromPEM: %w", err)
	}
	return NewRS256Verifier(pub), nil
}

// Verify parses token and returns its claims. It rejects a wrong algorithm, a bad
// signature, an expired or not-yet-valid token, a wrong issuer, a missing subject or
// tenant, and unknown roles.
func (v *Verifier) Verify(token string) (Claims, error) {
	var tc tokenClaims
	_, err := jwt.ParseWithClaims(token, &tc, func(*jwt.Token) (any, error) { return v.key, nil },
		jwt.WithValidMethods([]string{v.alg}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(Issuer),
		jwt.WithLeeway(leeway),
	)
	if err != nil {
		return Claims{}, fmt.Errorf("auth.Verify: %w", err)
	}
	if tc.Subject == "" {
		return Claims{}, errors.New("auth.Verify: token has no subject")
	}
	if tc.Tenant == "" {
		return Claims{}, errors.New("auth.Verify: token has no tenant")
	}
	for _, r := range tc.Roles {
		if !IsKnownRole(r) {
			return Claims{}, fmt.Errorf("auth.Verify: unknown role %q", r)
		}
	}
	return Claims{Subject: tc.Subject, Tenant: tc.Tenant, Roles: tc.Roles}, nil
}

// MintHS256 signs c with secret, valid for ttl from now.
func MintHS256(secret []byte, c Claims, ttl time.Duration) (string, error) {
	s, err := mint(jwt.SigningMethodHS256, secret, c, ttl)
	if err != nil {
		return "", fmt.Errorf("auth.MintHS256: %w", err)
	}
	return s, nil
}

// MintRS256 signs c with key, valid for ttl from now.
func MintRS256(key *rsa.PrivateKey, c Claims, ttl time.Duration) (string, error) {
	s, err := mint(jwt.SigningMethodRS256, key, c, ttl)
	if err != nil {
		return "", fmt.Errorf("auth.MintRS256: %w", err)
	}
	return s, nil
}

func mint(m jwt.SigningMethod, key any, c Claims, ttl time.Duration) (string, error) {
	now := time.Now()
	tc := tokenClaims{
		Tenant: c.Tenant,
		Roles:  c.Roles,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   c.Subject,
			Issuer:    Issuer,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	return jwt.NewWithClaims(m, tc).SignedString(key)
}
