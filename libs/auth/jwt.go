package auth

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"slices"
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

// verifyKey is one key and the one algorithm it accepts.
type verifyKey struct {
	alg string
	key any
}

// Verifier checks bearer tokens: user tokens with the user key, service and
// gateway tokens with their own keys. A kind whose key it lacks is refused.
type Verifier struct {
	user    verifyKey
	oidc    *OIDCIssuer
	service []byte
	gateway []byte
}

// Keys are the keys a Verifier checks tokens with. A missing key refuses
// every token of its kind.
type Keys struct {
	// UserSecret verifies user tokens with HS256.
	UserSecret []byte
	// UserPublicKey verifies user tokens with RS256 instead of UserSecret.
	UserPublicKey *rsa.PublicKey
	// OIDC verifies the user tokens its issuer signed (those whose "iss"
	// names it), beside the key above if there is one.
	OIDC *OIDCIssuer
	// ServiceSecret verifies service tokens (HS256, audience ServiceAudience).
	ServiceSecret []byte
	// GatewaySecret verifies gateway tokens (HS256, audience GatewayAudience).
	GatewaySecret []byte
}

// NewVerifier returns a Verifier for k. It refuses keys that would let one
// kind of token pass for another: no user key (neither a secret, a public
// key nor an issuer), or two equal HS256 secrets.
func NewVerifier(k Keys) (*Verifier, error) {
	v := &Verifier{oidc: k.OIDC, service: k.ServiceSecret, gateway: k.GatewaySecret}
	secrets := [][]byte{k.ServiceSecret, k.GatewaySecret}
	switch {
	case k.UserPublicKey != nil:
		v.user = verifyKey{alg: jwt.SigningMethodRS256.Alg(), key: k.UserPublicKey}
	case len(k.UserSecret) > 0:
		v.user = verifyKey{alg: jwt.SigningMethodHS256.Alg(), key: k.UserSecret}
		secrets = append(secrets, k.UserSecret)
	case k.OIDC == nil:
		return nil, errors.New("auth.NewVerifier: no key for user tokens")
	}
	for i, a := range secrets {
		for _, b := range secrets[i+1:] {
			if len(a) > 0 && bytes.Equal(a, b) {
				return nil, errors.New("auth.NewVerifier: two kinds of token share one secret")
			}
		}
	}
	return v, nil
}

// NewHS256Verifier returns a Verifier of user tokens signed with secret.
func NewHS256Verifier(secret []byte) *Verifier {
	return &Verifier{user: verifyKey{alg: jwt.SigningMethodHS256.Alg(), key: secret}}
}

// NewRS256Verifier returns a Verifier of user tokens signed by the private half of pub.
func NewRS256Verifier(pub *rsa.PublicKey) *Verifier {
	return &Verifier{user: verifyKey{alg: jwt.SigningMethodRS256.Alg(), key: pub}}
}

// VerifierConfig names a Verifier's keys as a process's settings do.
type VerifierConfig struct {
	// UserSecret is the HS256 secret of user tokens (JWT_HS256_SECRET).
	UserSecret string
	// UserPublicKeyFile is a PEM RSA public key of user tokens
	// (JWT_RS256_PUBLIC_KEY_FILE); when set, UserSecret is not used.
	UserPublicKeyFile string
	// ServiceSecret is the secret of service tokens (SERVICE_JWT_SECRET).
	ServiceSecret string
	// GatewaySecret is the secret of gateway tokens (GATEWAY_JWT_SECRET).
	GatewaySecret string
	// OIDC is an OpenID Connect issuer of user tokens (OIDC_*); used when
	// its Issuer is set, beside the key above if any.
	OIDC OIDC
}

// NewVerifierFromConfig reads the public key file, if any, fetches the
// OpenID Connect issuer's keys, if one is named, and returns NewVerifier of
// the keys c names.
func NewVerifierFromConfig(c VerifierConfig) (*Verifier, error) {
	k := Keys{ServiceSecret: []byte(c.ServiceSecret), GatewaySecret: []byte(c.GatewaySecret)}
	if c.OIDC.Issuer != "" {
		timeout := 10 * time.Second
		if c.OIDC.Client != nil {
			timeout = c.OIDC.Client.Timeout
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		var err error
		if k.OIDC, err = NewOIDCIssuer(ctx, c.OIDC); err != nil {
			return nil, fmt.Errorf("auth.NewVerifierFromConfig: %w", err)
		}
	}
	if c.UserPublicKeyFile == "" {
		k.UserSecret = []byte(c.UserSecret)
	} else {
		pemBytes, err := os.ReadFile(c.UserPublicKeyFile)
		if err != nil {
			return nil, fmt.Errorf("auth.NewVerifierFromConfig: %w", err)
		}
		if k.UserPublicKey, err = jwt.ParseRSAPublicKeyFromPEM(pemBytes); err != nil {
			return nil, fmt.Errorf("auth.NewVerifierFromConfig: jwt.ParseRSAPublicKeyFromPEM: %w", err)
		}
	}
	v, err := NewVerifier(k)
	if err != nil {
		return nil, fmt.Errorf("auth.NewVerifierFromConfig: %w", err)
	}
	return v, nil
}

// Verify parses token and returns its claims. The audience picks the key: a
// token naming ServiceAudience or GatewayAudience is checked with that key
// only, any other as a user token: with the OpenID Connect issuer's keys
// when its "iss" names that issuer, else with the user key. It rejects a
// wrong algorithm, a bad signature, an expired or not-yet-valid token, a
// wrong issuer or audience, a missing subject or tenant, unknown roles, a
// user token claiming the service role, a service token claiming anything
// but the service role for one municipality or all of them, and a gateway
// token claiming anything but the service role for one municipality.
func (v *Verifier) Verify(token string) (Claims, error) {
	// Only the registered claims are read before the signature is checked:
	// they say which key to check it with. Other claims may differ in
	// shape between issuers.
	var peek jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &peek); err != nil {
		return Claims{}, fmt.Errorf("auth.Verify: %w", err)
	}
	var (
		c   Claims
		err error
	)
	switch {
	case slices.Contains(peek.Audience, ServiceAudience):
		c, err = verifyInternal(token, v.service, ServiceAudience, KindService)
	case slices.Contains(peek.Audience, GatewayAudience):
		c, err = verifyInternal(token, v.gateway, GatewayAudience, KindGateway)
		if err == nil && c.Tenant == AllTenants {
			// The gateway calls for one jurisdiction at a time.
			err = errors.New("a gateway token must name one municipality")
		}
	default:
		c, err = v.verifyUser(token, peek.Issuer)
	}
	if err != nil {
		return Claims{}, fmt.Errorf("auth.Verify: %w", err)
	}
	return c, nil
}

// verifyUser checks a user token: with the OpenID Connect issuer's keys
// when it names that issuer, else with the user key. The service role is
// never a person's: whoever holds the user key (an identity provider, or
// the HS256 secret in development) must not be able to act as a service.
func (v *Verifier) verifyUser(token, issuer string) (Claims, error) {
	var (
		c   Claims
		err error
	)
	switch {
	case v.oidc != nil && issuer == v.oidc.Issuer():
		c, err = v.oidc.verify(token)
	case v.user.key == nil:
		return Claims{}, errors.New("no key for user tokens")
	default:
		c, err = parse(token, v.user.alg, v.user.key)
	}
	if err != nil {
		return Claims{}, err
	}
	if c.HasRole(RoleService) {
		return Claims{}, errors.New("a user token may not claim the service role")
	}
	return c, nil
}

// verifyInternal checks a service or gateway token against its own key and
// audience. Such tokens are minted only by MintService and MintGateway, so
// anything but the service role, for one municipality or all of them, is
// refused.
func verifyInternal(token string, key []byte, audience string, kind Kind) (Claims, error) {
	if len(key) == 0 {
		return Claims{}, fmt.Errorf("tokens for %s are not accepted here", audience)
	}
	c, err := parse(token, jwt.SigningMethodHS256.Alg(), key, jwt.WithAudience(audience))
	if err != nil {
		return Claims{}, err
	}
	if !slices.Equal(c.Roles, []string{RoleService}) || (c.Tenant != AllTenants && !IsTenantCode(c.Tenant)) {
		return Claims{}, fmt.Errorf("a token for %s must carry only the service role, for one municipality or all", audience)
	}
	c.Kind = kind
	return c, nil
}

// parse verifies token with key under alg and the rules every kind shares.
func parse(token, alg string, key any, opts ...jwt.ParserOption) (Claims, error) {
	var tc tokenClaims
	_, err := jwt.ParseWithClaims(token, &tc, func(*jwt.Token) (any, error) { return key, nil },
		append([]jwt.ParserOption{
			jwt.WithValidMethods([]string{alg}),
			jwt.WithExpirationRequired(),
			jwt.WithIssuer(Issuer),
			jwt.WithLeeway(leeway),
		}, opts...)...,
	)
	if err != nil {
		return Claims{}, err
	}
	if tc.Subject == "" {
		return Claims{}, errors.New("token has no subject")
	}
	if tc.Tenant == "" {
		return Claims{}, errors.New("token has no tenant")
	}
	for _, r := range tc.Roles {
		if !IsKnownRole(r) {
			return Claims{}, fmt.Errorf("unknown role %q", r)
		}
	}
	return Claims{Subject: tc.Subject, Tenant: tc.Tenant, Roles: tc.Roles}, nil
}

// MintHS256 signs user claims c with secret, valid for ttl from now.
func MintHS256(secret []byte, c Claims, ttl time.Duration) (string, error) {
	s, err := mint(jwt.SigningMethodHS256, secret, c, "", ttl)
	if err != nil {
		return "", fmt.Errorf("auth.MintHS256: %w", err)
	}
	return s, nil
}

// MintRS256 signs user claims c with key, valid for ttl from now.
func MintRS256(key *rsa.PrivateKey, c Claims, ttl time.Duration) (string, error) {
	s, err := mint(jwt.SigningMethodRS256, key, c, "", ttl)
	if err != nil {
		return "", fmt.Errorf("auth.MintRS256: %w", err)
	}
	return s, nil
}

// MintService signs a service token for subject (a service's name) with the
// service secret, valid for ttl from now. tenant is the municipality whose
// work the calls carry, or AllTenants for the few calls about every
// municipality; libs/peers mints them per call.
func MintService(secret []byte, subject, tenant string, ttl time.Duration) (string, error) {
	s, err := mintInternal(secret, subject, tenant, ServiceAudience, ttl)
	if err != nil {
		return "", fmt.Errorf("auth.MintService: %w", err)
	}
	return s, nil
}

// MintGateway signs the gateway's token for calls about one municipality
// (an Open311 jurisdiction) with the gateway secret, valid for ttl from now.
func MintGateway(secret []byte, tenant string, ttl time.Duration) (string, error) {
	if tenant == AllTenants {
		return "", errors.New("auth.MintGateway: a gateway token names one municipality")
	}
	s, err := mintInternal(secret, "gateway", tenant, GatewayAudience, ttl)
	if err != nil {
		return "", fmt.Errorf("auth.MintGateway: %w", err)
	}
	return s, nil
}

func mintInternal(secret []byte, subject, tenant, audience string, ttl time.Duration) (string, error) {
	if len(secret) == 0 {
		return "", errors.New("empty secret")
	}
	if tenant != AllTenants && !IsTenantCode(tenant) {
		return "", fmt.Errorf("tenant %q is not a municipality code", tenant)
	}
	return mint(jwt.SigningMethodHS256, secret, Claims{Subject: subject, Tenant: tenant, Roles: []string{RoleService}}, audience, ttl)
}

func mint(m jwt.SigningMethod, key any, c Claims, audience string, ttl time.Duration) (string, error) {
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
	if audience != "" {
		tc.Audience = jwt.ClaimStrings{audience}
	}
	return jwt.NewWithClaims(m, tc).SignedString(key)
}
