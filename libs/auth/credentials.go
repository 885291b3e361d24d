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

// ServiceTokenSource returns a token func for service-to-service calls signed
// with an HS256 secret; see ServiceTokens.
func ServiceTokenSource(secret []byte, service string) func() (string, error) {
	return ServiceTokens(NewHS256Signer(secret), service)
}

// ServiceTokens returns a token func for service-to-service calls: a token
// signed by signer with subject service, role RoleService and tenant
// AllTenants, valid for 5 minutes, cached and re-minted one minute before it
// expires. Safe for concurrent use.
func ServiceTokens(signer *Signer, service string) func() (string, error) {
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
		t, err := signer.Mint(Claims{Subject: service, Tenant: AllTenants, Roles: []string{RoleService}}, serviceTokenTTL)
		if err != nil {
			return "", fmt.Errorf("auth.ServiceTokens: %w", err)
		}
		token, expires = t, now.Add(serviceTokenTTL)
		return token, nil
	}
}
