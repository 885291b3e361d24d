package auth

import (
	"context"
	"fmt"

	"google.golang.org/grpc/credentials"
)

// BearerCredentials returns per-RPC credentials that attach "authorization: Bearer
// <token()>" to every call. Transport security is not required because the services
// talk over a private network (and tests over bufconn). Calls between the
// services' own processes use libs/peers, which mints a token per call.
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
