package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/salga/trustengine/libs/auth"
)

// gatewayRefusal is how auth refuses a gateway token outside its list.
const gatewayRefusal = "the gateway's identity may not call this RPC"

// rpc is one method of the suite, from the generated descriptors.
type rpc struct {
	method   string // "/package.Service/Method"
	in, out  protoreflect.MessageDescriptor
	addr     string // the process that serves it
	internal bool   // of an *InternalService
}

// rpcs lists every RPC of the ticket, routing, SLA and notify contracts, read from
// the descriptors the generated packages register, so a new RPC is covered
// without touching this test.
func (s *suite) rpcs(t *testing.T) []rpc {
	t.Helper()
	var out []rpc
	for pkg, addr := range map[string]string{"salga.ticket.v1": s.ticketAddr, "salga.routing.v1": s.routingAddr, "salga.sla.v1": s.slaAddr,
		"salga.notify.v1": s.notifyAddr} {
		protoregistry.GlobalFiles.RangeFilesByPackage(protoreflect.FullName(pkg), func(fd protoreflect.FileDescriptor) bool {
			for i := range fd.Services().Len() {
				svc := fd.Services().Get(i)
				for j := range svc.Methods().Len() {
					m := svc.Methods().Get(j)
					out = append(out, rpc{method: "/" + string(svc.FullName()) + "/" + string(m.Name()), in: m.Input(), out: m.Output(),
						addr: addr, internal: strings.HasSuffix(string(svc.Name()), "InternalService")})
				}
			}
			return true
		})
	}
	slices.SortFunc(out, func(a, b rpc) int { return strings.Compare(a.method, b.method) })
	require.Greater(t, len(out), 40, "the generated descriptors are registered")
	return out
}

// invoke calls r with an empty request carrying token.
func (s *suite) invoke(r rpc, token string) error {
	return s.dial(r.addr, token).Invoke(context.Background(), r.method, dynamicpb.NewMessage(r.in), dynamicpb.NewMessage(r.out))
}

func TestServiceAndGatewayIdentitiesCannotBeForgedOrStretched(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{extraEnv: hostileEnv})
	s.seedCity(t, "TST")
	before := s.snapshot(t)
	all := s.rpcs(t)
	var internal []rpc
	for _, r := range all {
		if r.internal {
			internal = append(internal, r)
		}
	}
	require.NotEmpty(t, internal)
	var ty tally

	// Whoever holds the user-token key (an identity provider, or the HS256
	// secret) or the gateway's key cannot make a service token.
	now := time.Now().Unix()
	claims := func(roles []string, aud string) map[string]any {
		c := map[string]any{"sub": "mallory", "tenant": "*", "roles": roles, "iss": "trustengine", "iat": now, "exp": now + 3600}
		if aud != "" {
			c["aud"] = aud
		}
		return c
	}
	forged := []struct{ name, token string }{
		{"a user token claiming the service role", rawToken("HS256", secret, claims([]string{"service"}, ""))},
		{"a user token claiming the service and platform_admin roles", rawToken("HS256", secret, claims([]string{"service", "platform_admin"}, ""))},
		{"a user-key token with the service audience", rawToken("HS256", secret, claims([]string{"service"}, auth.ServiceAudience))},
		{"a gateway-key token with the service audience", rawToken("HS256", gatewaySecret, claims([]string{"service"}, auth.ServiceAudience))},
		{"a gateway token claiming platform_admin", rawToken("HS256", gatewaySecret, claims([]string{"service", "platform_admin"}, auth.GatewayAudience))},
	}
	for _, f := range forged {
		for _, r := range internal {
			ty.grpc(t, f.name+": "+r.method, s.invoke(r, f.token), codes.Unauthenticated)
		}
	}
	// The control: a real service token passes authentication on each (the
	// empty request may still be refused for what it lacks).
	service := s.token("routing", "*", auth.RoleService)
	for _, r := range internal {
		err := s.invoke(r, service)
		require.NotEqual(t, codes.Unauthenticated, status.Code(err), "service token on %s: %v", r.method, err)
	}

	// The gateway's own token reaches the Open311 RPCs and nothing else.
	gateway := s.gatewayToken("TST")
	reached := 0
	for _, r := range all {
		err := s.invoke(r, gateway)
		byList := status.Code(err) == codes.PermissionDenied && status.Convert(err).Message() == gatewayRefusal
		if auth.GatewayMayCall(r.method) {
			reached++
			require.False(t, byList || status.Code(err) == codes.Unauthenticated, "gateway token on %s: %v", r.method, err)
			continue
		}
		ty.grpc(t, "gateway token: "+r.method, err, codes.PermissionDenied)
		require.True(t, byList, "gateway token on %s is refused by the gateway's list: %v", r.method, err)
	}
	require.Equal(t, len(auth.GatewayMethods()), reached, "every RPC the gateway may call exists: %v", auth.GatewayMethods())

	changed := changedTables(before, s.snapshot(t))
	line := ty.report(t, "identities", len(changed))
	require.Empty(t, changed, line)
	require.Zero(t, ty.accepted, line)
}
