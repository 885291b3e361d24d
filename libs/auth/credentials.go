package auth

import (
	"context"
	"fmt"
	"sync"
	"time"

	"google.golang.org/grpc/credentials"
)

// Service tokens live briefly so a leaked one is soon useless, and are refreshed a
// minute early so a call never leaves with a token that expires in flight.
const (
	serviceTokenTTL     = 5 * time.Minute
	serviceTokenRefresh = time.Minute
)

// BearerCredentials returns per-RPC credentials that attach "authorization: Bearer
// <token()>" to every call. Transport security is not required because the services
// talk over a private network (and tests over bufconn).
func BearerCredentials(token func() (string, error)) credentials.PerRPCCredentials {
	return bearer{token: token}
}

type bearer struct{ token func() (string, error) }

// GetRequestMetadata implements credentials.PerRPCCredentials.
func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	t, err := b.token()
	if err != nil {
		return nil, fmt.Errorf("auth.BearerCredentials: %w", err)
	}
	return map[string]string{"authorization": "Bearer " + t}, nil
}

// RequireTransportSecurity implements credentials.PerRPCCredentials.
func (bearer) RequireTransportSecurity() bool { return false }

// ServiceTokens returns a token func for calls between ticket, routing and
// sla: a service token for subject service (see MintService), valid for 5
// minutes, cached and re-minted one minute before it expires. Safe for
// concurrent use.
func ServiceTokens(secret []byte, service string) func() (string, error) {
	return cachedTokens(func() (string, error) { return MintService(secret, service, serviceTokenTTL) })
}

// GatewayTokens returns the token func of the gateway's own calls (see
// MintGateway), cached like ServiceTokens.
func GatewayTokens(secret []byte) func() (string, error) {
	return cachedTokens(func() (string, error) { return MintGateway(secret, serviceTokenTTL) })
}

// cachedTokens caches what mint returns for serviceTokenTTL, minus the
// refresh margin.
func cachedTokens(mint func() (string, error)) func() (string, error) {
	var (
		mu      sync.Mutex
		token   string
		expires time.Time
	)
	return func() (string, error) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if token != "" && now.Before(expires.Add(-serviceTokenRefresh)) {
			return token, nil
		}
		t, err := mint()
		if err != nil {
			return "", err
		}
		token, expires = t, now.Add(serviceTokenTTL)
		return token, nil
	}
}
