package config

import (
	"errors"
	"fmt"

	"github.com/salga/trustengine/libs/auth"
)

// DevModeVar is the environment variable that puts a process in development
// mode (TRUSTENGINE_DEV_MODE=1).
const DevModeVar = "TRUSTENGINE_DEV_MODE"

// The published development secrets. Anyone who reads this repository can
// sign tokens with them, so a process takes them (as the defaults of empty
// settings) only in development mode and refuses them outside it.
const (
	// DevJWTSecret is the development HS256 secret of user tokens.
	DevJWTSecret = "dev-only-insecure-secret-change-me"
	// DevServiceJWTSecret is the development secret of service tokens.
	DevServiceJWTSecret = "dev-only-service-secret-change-me"
	// DevGatewayJWTSecret is the development secret of the gateway's tokens.
	DevGatewayJWTSecret = "dev-only-gateway-secret-change-me"
)

// minSecretBytes is the shortest HS256 secret accepted outside development
// mode: a shorter one can be guessed offline from any token it signed.
const minSecretBytes = 32

// Auth is how a process checks and signs tokens, and whether it runs in
// development mode. Embedded in Common; the gateway embeds it too. There is
// one key per kind of token (see package auth): user tokens (the identity
// provider's), service tokens (ticket, routing and sla only) and the
// gateway's tokens (the gateway's Open311 calls).
type Auth struct {
	// DevMode is the explicit development mode (TRUSTENGINE_DEV_MODE=1). In
	// it, empty secrets take the published development values, the GBV key
	// ring defaults to seal.DevKeys and gRPC reflection is open. Outside it,
	// a process refuses to start with any of those. Default: off.
	DevMode bool `env:"TRUSTENGINE_DEV_MODE"`
	// JWTSecret is the HS256 secret of user tokens (JWT_HS256_SECRET).
	// Default: empty; DevJWTSecret in development mode. The gateway refuses
	// it outside development mode: whoever holds it can sign any user's token.
	JWTSecret string `env:"JWT_HS256_SECRET"`
	// JWTPublicKeyFile is a PEM RSA public key (JWT_RS256_PUBLIC_KEY_FILE).
	// When set, user tokens are verified with RS256 and JWTSecret is not
	// used. Default: empty.
	JWTPublicKeyFile string `env:"JWT_RS256_PUBLIC_KEY_FILE"`
	// ServiceJWTSecret signs and verifies the tokens ticket, routing and sla
	// send each other (SERVICE_JWT_SECRET). Only those three hold it.
	// Default: empty; DevServiceJWTSecret in development mode.
	ServiceJWTSecret string `env:"SERVICE_JWT_SECRET"`
	// GatewayJWTSecret signs the gateway's own tokens, which ticket and
	// routing accept on the Open311 RPCs only (GATEWAY_JWT_SECRET).
	// Default: empty (a service then refuses gateway tokens);
	// DevGatewayJWTSecret in development mode.
	GatewayJWTSecret string `env:"GATEWAY_JWT_SECRET"`
	// OIDC is the OpenID Connect issuer of user tokens (OIDC_*), beside
	// or instead of the keys above. Default: none.
	OIDC OIDC
}

// ForService returns a with the development defaults filled in, or the
// reason ticket, routing or sla must not start with it. Outside development
// mode user tokens need OIDC_ISSUER, JWT_RS256_PUBLIC_KEY_FILE or a
// JWT_HS256_SECRET, service tokens a SERVICE_JWT_SECRET; no secret may be
// empty, published or shorter than 32 bytes, and no two may be equal.
// GATEWAY_JWT_SECRET may be empty (no Open311 calls are accepted then).
func (a Auth) ForService() (Auth, error) {
	if err := a.OIDC.check(); err != nil {
		return a, err
	}
	var err error
	// With an issuer, the HS256 secret is optional outside development
	// mode (checked if set); in development mode it stays, so that the
	// development sign-in works beside the issuer's.
	if a.JWTPublicKeyFile == "" && (a.OIDC.Issuer == "" || a.DevMode || a.JWTSecret != "") {
		if a.JWTSecret, err = a.UserSecret(); err != nil {
			return a, err
		}
	}
	if a.ServiceJWTSecret, err = a.ServiceSecret(); err != nil {
		return a, err
	}
	if a.GatewayJWTSecret != "" || a.DevMode {
		if a.GatewayJWTSecret, err = a.GatewaySecret(); err != nil {
			return a, err
		}
	}
	return a, a.distinct()
}

// ForGateway returns a with the development defaults filled in, or the
// reason the gateway must not start with it. The gateway faces the
// internet, so outside development mode it holds no key that signs user or
// service tokens: it verifies user tokens with JWT_RS256_PUBLIC_KEY_FILE and
// refuses JWT_HS256_SECRET and SERVICE_JWT_SECRET; it signs only its own
// tokens, with GATEWAY_JWT_SECRET. OIDC_ISSUER may stand in for the
// public key, or join it.
func (a Auth) ForGateway() (Auth, error) {
	if err := a.OIDC.check(); err != nil {
		return a, err
	}
	var err error
	if !a.DevMode {
		switch {
		case a.JWTSecret != "":
			return a, errors.New("config: JWT_HS256_SECRET is set: outside development mode the gateway must not hold " +
				"the secret that signs user tokens; unset it and set JWT_RS256_PUBLIC_KEY_FILE to the identity provider's " +
				"public key, or set " + DevModeVar + "=1 for development")
		case a.JWTPublicKeyFile == "" && a.OIDC.Issuer == "":
			return a, errors.New("config: OIDC_ISSUER and JWT_RS256_PUBLIC_KEY_FILE are empty: set the identity provider's " +
				"issuer (OIDC_ISSUER, OIDC_AUDIENCE) or the PEM public key user tokens are verified with, or set " +
				DevModeVar + "=1 for development")
		case a.ServiceJWTSecret != "":
			return a, errors.New("config: SERVICE_JWT_SECRET is set: the gateway must not hold the key of service tokens; " +
				"unset it (the gateway signs its own calls with GATEWAY_JWT_SECRET)")
		}
	} else if a.JWTPublicKeyFile == "" {
		if a.JWTSecret, err = a.UserSecret(); err != nil {
			return a, err
		}
	}
	a.ServiceJWTSecret = ""
	if a.GatewayJWTSecret, err = a.GatewaySecret(); err != nil {
		return a, err
	}
	return a, a.distinct()
}

// UserSecret returns the HS256 secret of user tokens: JWT_HS256_SECRET, or
// DevJWTSecret when it is empty in development mode. Outside development
// mode it refuses an empty, published or short secret, naming the variable.
func (a Auth) UserSecret() (string, error) {
	return a.secret("JWT_HS256_SECRET", a.JWTSecret, DevJWTSecret,
		"or JWT_RS256_PUBLIC_KEY_FILE to verify user tokens with a public key, or OIDC_ISSUER with an identity provider's keys")
}

// ServiceSecret returns the secret of service tokens (SERVICE_JWT_SECRET)
// under the same rule as UserSecret.
func (a Auth) ServiceSecret() (string, error) {
	return a.secret("SERVICE_JWT_SECRET", a.ServiceJWTSecret, DevServiceJWTSecret, "")
}

// GatewaySecret returns the secret of the gateway's tokens
// (GATEWAY_JWT_SECRET) under the same rule as UserSecret.
func (a Auth) GatewaySecret() (string, error) {
	return a.secret("GATEWAY_JWT_SECRET", a.GatewayJWTSecret, DevGatewayJWTSecret, "")
}

// VerifierConfig is what auth.NewVerifierFromConfig needs from a resolved
// Auth (one returned by ForService or ForGateway).
func (a Auth) VerifierConfig() auth.VerifierConfig {
	return auth.VerifierConfig{UserSecret: a.JWTSecret, UserPublicKeyFile: a.JWTPublicKeyFile,
		ServiceSecret: a.ServiceJWTSecret, GatewaySecret: a.GatewayJWTSecret, OIDC: a.OIDC.Verifier()}
}

// distinct refuses two kinds of token sharing a secret: whoever holds one
// key could then sign the other kind.
func (a Auth) distinct() error {
	named := []struct{ name, value string }{{"SERVICE_JWT_SECRET", a.ServiceJWTSecret}, {"GATEWAY_JWT_SECRET", a.GatewayJWTSecret}}
	if a.JWTPublicKeyFile == "" {
		named = append(named, struct{ name, value string }{"JWT_HS256_SECRET", a.JWTSecret})
	}
	for i, x := range named {
		for _, y := range named[i+1:] {
			if x.value != "" && x.value == y.value {
				return fmt.Errorf("config: %s equals %s: each kind of token needs its own secret", x.name, y.name)
			}
		}
	}
	return nil
}

// secret applies the development-mode rule to one secret setting.
func (a Auth) secret(name, value, dev, alternative string) (string, error) {
	if a.DevMode {
		if value == "" {
			return dev, nil
		}
		return value, nil
	}
	hint := fmt.Sprintf("set %s to a random secret of at least %d bytes (e.g. openssl rand -base64 48)", name, minSecretBytes)
	if alternative != "" {
		hint += ", " + alternative
	}
	hint += ", or set " + DevModeVar + "=1 for development"
	switch {
	case value == "":
		return "", fmt.Errorf("config: %s is empty: %s", name, hint)
	case value == dev:
		return "", fmt.Errorf("config: %s is the published development secret: %s", name, hint)
	case len(value) < minSecretBytes:
		return "", fmt.Errorf("config: %s is shorter than %d bytes: %s", name, minSecretBytes, hint)
	}
	return value, nil
}
