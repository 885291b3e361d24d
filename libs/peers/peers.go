// Package peers dials the other Trust Engine services. Every call carries a
// short-lived token minted for the municipality whose work it does, so the
// receiving service runs it confined to that tenant and row-level security
// applies to internal calls as it does to a person's.
//
// The tenant travels in the context of the call:
//
//	ctx = peers.ForTenant(ctx, job.Tenant)
//	_, err := routing.RouteTicket(ctx, req)
//
// A call without a tenant is refused before it leaves the process, except
// one marked AllTenants (a feed about every municipality), so no job can
// run with an all-tenants identity by forgetting to name its tenant. A call
// whose request names another tenant than its context is refused too.
package peers

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	grpccreds "google.golang.org/grpc/credentials"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/auth"
)

// Dial connects to the peer at addr (see Connect) as id. Every call on
// the connection needs a tenant in its context (ForTenant or AllTenants)
// and carries a token id mints for it. The connection is lazy: a peer that
// is down fails calls, not Dial.
func Dial(addr string, id Identity, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	return Connect(addr, append([]grpc.DialOption{
		grpc.WithPerRPCCredentials(credentials{id: id}),
		grpc.WithChainUnaryInterceptor(checkTenant(id)),
		grpc.WithChainStreamInterceptor(checkTenantStream(id)),
	}, opts...)...)
}

type tenantKey struct{}

// ForTenant returns ctx for calls doing the work of municipality tenant:
// they carry a token naming it.
func ForTenant(ctx context.Context, tenant string) context.Context {
	return context.WithValue(ctx, tenantKey{}, tenant)
}

// AllTenants returns ctx for calls about every municipality at once (a
// feed of all of them). Only service identities send them; the receiver
// decides by name whether such a call may read across tenants.
func AllTenants(ctx context.Context) context.Context {
	return context.WithValue(ctx, tenantKey{}, auth.AllTenants)
}

// TenantOf returns the tenant ctx's calls carry (auth.AllTenants for
// AllTenants) and whether one was set.
func TenantOf(ctx context.Context) (string, bool) {
	t, ok := ctx.Value(tenantKey{}).(string)
	return t, ok
}

// tenantRequest is a request that names the municipality it is about.
type tenantRequest interface{ GetTenant() string }

// callTenant returns the tenant a call may carry, or why it may not leave.
func callTenant(ctx context.Context, id Identity, req any) (string, error) {
	tenant, ok := TenantOf(ctx)
	switch {
	case !ok:
		return "", status.Error(codes.FailedPrecondition, "peers: a call needs the tenant of its work (peers.ForTenant) or peers.AllTenants")
	case tenant == auth.AllTenants && !id.allTenants:
		return "", status.Error(codes.FailedPrecondition, "peers: the "+id.name+" identity calls for one municipality at a time")
	case tenant != auth.AllTenants && !auth.IsTenantCode(tenant):
		return "", status.Errorf(codes.InvalidArgument, "peers: tenant %q is not a municipality code", tenant)
	}
	if r, ok := req.(tenantRequest); ok && r.GetTenant() != "" && r.GetTenant() != tenant {
		return "", status.Errorf(codes.FailedPrecondition, "peers: a request about %s may not carry a token for %s", r.GetTenant(), tenant)
	}
	return tenant, nil
}

func checkTenant(id Identity) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoke grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if _, err := callTenant(ctx, id, req); err != nil {
			return err
		}
		return invoke(ctx, method, req, reply, cc, opts...)
	}
}

func checkTenantStream(id Identity) grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		if _, err := callTenant(ctx, id, nil); err != nil {
			return nil, err
		}
		return streamer(ctx, desc, cc, method, opts...)
	}
}

// credentials attaches the token of the call's tenant.
type credentials struct{ id Identity }

// GetRequestMetadata implements credentials.PerRPCCredentials.
func (c credentials) GetRequestMetadata(ctx context.Context, _ ...string) (map[string]string, error) {
	tenant, ok := TenantOf(ctx)
	if !ok && isHealthCheck(ctx) {
		// The balancer's own health checks (Connect) carry no token:
		// grpc.health.v1 needs none.
		return nil, nil
	}
	if !ok {
		// The interceptor refuses such calls first; this is the last guard.
		return nil, status.Error(codes.PermissionDenied, "peers: no tenant for this call")
	}
	tok, err := c.id.token(tenant)
	if err != nil {
		return nil, status.Errorf(codes.PermissionDenied, "peers: %v", err)
	}
	return map[string]string{"authorization": "Bearer " + tok}, nil
}

// isHealthCheck reports whether ctx is that of a grpc.health.v1 call.
func isHealthCheck(ctx context.Context) bool {
	ri, ok := grpccreds.RequestInfoFromContext(ctx)
	return ok && strings.HasPrefix(ri.Method, "/"+healthpb.Health_ServiceDesc.ServiceName+"/")
}

// RequireTransportSecurity implements credentials.PerRPCCredentials: the
// services talk over a private network.
func (credentials) RequireTransportSecurity() bool { return false }
