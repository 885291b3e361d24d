package peers

import (
	"context"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// Retries of a call that failed with Unavailable: a replica died under it
// or is stopping, or the database is briefly away. The waits (50 ms, then
// doubling up to 800 ms) add up to about 3 s, within any sensible
// deadline; a longer outage reaches the caller as Unavailable, which it
// may retry itself.
const (
	maxAttempts  = 7
	firstBackoff = 50 * time.Millisecond
	maxBackoff   = 800 * time.Millisecond
)

// retryUnavailable tries an idempotent call again while it fails with
// Unavailable. gRPC itself only retries calls that never reached a server;
// one that did may have taken effect before the server died, so only calls
// whose repetition does nothing more are tried again.
func retryUnavailable(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoke grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	err := invoke(ctx, method, req, reply, cc, opts...)
	wait := firstBackoff
	for attempt := 1; attempt < maxAttempts && status.Code(err) == codes.Unavailable && Idempotent(ctx, method, req); attempt++ {
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, maxBackoff)
		err = invoke(ctx, method, req, reply, cc, opts...)
	}
	return err
}

// keyed is a request that carries an idempotency key.
type keyed interface{ GetIdempotencyKey() string }

// Idempotent reports whether a call of method (a full gRPC method name)
// with req is safe to send again: its contract says it has no side effects
// or is idempotent (the method's idempotency_level), or it carries an
// idempotency key, in its request or as the `idempotency-key` metadata the
// gateway forwards from the Idempotency-Key header, so that the service
// answers a repeat with the first outcome.
func Idempotent(ctx context.Context, method string, req any) bool {
	if r, ok := req.(keyed); ok && r.GetIdempotencyKey() != "" {
		return true
	}
	if md, ok := metadata.FromOutgoingContext(ctx); ok {
		for _, k := range md.Get("idempotency-key") {
			if k != "" {
				return true
			}
		}
	}
	name := protoreflect.FullName(strings.ReplaceAll(strings.TrimPrefix(method, "/"), "/", "."))
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(name)
	if err != nil {
		return false
	}
	m, ok := d.(protoreflect.MethodDescriptor)
	if !ok {
		return false
	}
	opts, ok := m.Options().(*descriptorpb.MethodOptions)
	if !ok {
		return false
	}
	level := opts.GetIdempotencyLevel()
	return level == descriptorpb.MethodOptions_NO_SIDE_EFFECTS || level == descriptorpb.MethodOptions_IDEMPOTENT
}
