package peers

import (
	"fmt"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	// Registers the client side of grpc.health.v1, which healthCheckConfig
	// below turns on: a replica reporting NOT_SERVING (shutting down, or
	// not yet serving) gets no new calls.
	_ "google.golang.org/grpc/health"
	"google.golang.org/grpc/resolver"

	"github.com/salga/trustengine/libs/tracing"
)

// serviceConfig spreads calls over every address a peer's name resolves
// to (its replicas) instead of gRPC's default of the first one, and sends
// them only to replicas whose health service says SERVING.
const serviceConfig = `{"loadBalancingConfig":[{"round_robin":{}}],"healthCheckConfig":{"serviceName":""}}`

// maxMessage is the largest message a peer call sends or receives: imports
// of boundaries are large.
const maxMessage = 64 << 20

// Connect connects to the service at addr: one address ("ticket:9101",
// resolved through DNS to every replica behind the name), a
// comma-separated list of replicas ("10.0.0.1:9101,10.0.0.2:9101"), or
// any gRPC target ("dns:///ticket-headless:9101"). Calls are balanced
// round robin over the healthy replicas, and a call that is safe to repeat
// (Idempotent) and fails with Unavailable is tried again, on the next
// replica. It adds no credentials: the gateway forwards its callers'
// tokens; Dial adds a service's own. The connection is lazy: a peer that
// is down fails calls, not Connect.
func Connect(addr string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	target, list := targetOf(addr)
	base := []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultServiceConfig(serviceConfig),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessage), grpc.MaxCallSendMsgSize(maxMessage)),
		grpc.WithChainUnaryInterceptor(retryUnavailable),
		tracing.DialOption(),
	}
	if list != nil {
		base = append(base, grpc.WithResolvers(list))
	}
	conn, err := grpc.NewClient(target, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("peers.Connect %s: %w", addr, err)
	}
	return conn, nil
}

// listScheme names the resolver of comma-separated address lists.
const listScheme = "peerlist"

// targetOf turns addr into a gRPC target, with the resolver of its list
// when it is one.
func targetOf(addr string) (string, resolver.Builder) {
	if !strings.Contains(addr, ",") {
		return addr, nil
	}
	var addrs []resolver.Address
	for a := range strings.SplitSeq(addr, ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, resolver.Address{Addr: a})
		}
	}
	return listScheme + ":///" + addr, staticList{addrs: addrs}
}

// staticList resolves to a fixed list of addresses: the replicas an
// operator (or a test) names one by one.
type staticList struct{ addrs []resolver.Address }

// Build implements resolver.Builder.
func (s staticList) Build(_ resolver.Target, cc resolver.ClientConn, _ resolver.BuildOptions) (resolver.Resolver, error) {
	if err := cc.UpdateState(resolver.State{Addresses: s.addrs}); err != nil {
		return nil, fmt.Errorf("peers: address list: %w", err)
	}
	return staticList{}, nil
}

// Scheme implements resolver.Builder.
func (staticList) Scheme() string { return listScheme }

// ResolveNow implements resolver.Resolver: the list never changes.
func (staticList) ResolveNow(resolver.ResolveNowOptions) {}

// Close implements resolver.Resolver.
func (staticList) Close() {}
