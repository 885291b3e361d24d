// Package httpapi is the gateway's HTTP side: grpc-gateway JSON routes for
// every public RPC, the OpenAPI document, health endpoints, and the
// middleware (request ids, body limits, CORS) around them.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/google/uuid"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/rs/cors"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"

	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/gen/openapi"
	"github.com/salga/trustengine/services/gateway/internal/upload"
)

// Backends are the gRPC connections to the services behind the gateway. The
// gateway calls their public gRPC ports, so their auth, tenant and
// validation interceptors run for JSON callers exactly as for gRPC callers.
type Backends struct {
	// Ticket is the ticket service.
	Ticket *grpc.ClientConn
	// Routing is the routing service.
	Routing *grpc.ClientConn
	// SLA is the SLA service.
	SLA *grpc.ClientConn
	// Notify is the notify service.
	Notify *grpc.ClientConn
}

// Options tune the HTTP handler.
type Options struct {
	// MaxBodyBytes caps request bodies (413 above it).
	MaxBodyBytes int64
	// CORSOrigins are the allowed browser origins; empty disables CORS.
	CORSOrigins []string
	// RateLimit bounds requests per tenant and per client.
	RateLimit RateLimit
	// Open311 serves the Open311 GeoReport v2 API under /open311/v2/;
	// nil leaves it out.
	Open311 http.Handler
	// Console serves the operator console under /console/; nil leaves it
	// out.
	Console http.Handler
	// Uploads bound the photo uploads (multipart, streamed to the ticket
	// service).
	Uploads Uploads
	// Notify serves notify's inbound paths (providers' webhooks and
	// unsubscribe links) under /notify/; nil leaves them out.
	Notify interface{ Register(*http.ServeMux) }
	// Public serves the public dashboard's figures (no token, GBV never)
	// at GET /public/v1/aggregates; nil leaves them out.
	Public *PublicFigures
}

// forwardedHeaders are the HTTP request headers passed on to the services as
// gRPC metadata (lower-case keys).
// Authorization is not listed: grpc-gateway always forwards it itself.
var forwardedHeaders = map[string]string{
	"Idempotency-Key": "idempotency-key",
	"X-Request-Id":    "x-request-id",
}

// New builds the gateway's HTTP handler.
func New(ctx context.Context, b Backends, opts Options) (http.Handler, error) {
	jsonPb := &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{UseProtoNames: true},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}
	mux := runtime.NewServeMux(
		runtime.WithErrorHandler(writeError),
		runtime.WithRoutingErrorHandler(writeRoutingError),
		runtime.WithIncomingHeaderMatcher(func(h string) (string, bool) {
			md, ok := forwardedHeaders[textproto.CanonicalMIMEHeaderKey(h)]
			return md, ok
		}),
		runtime.WithOutgoingHeaderMatcher(func(h string) (string, bool) {
			if h == "x-request-id" || h == "retry-after" {
				return h, true
			}
			return "", false
		}),
		// One marshaler for everything: proto field names in and out, and
		// unknown JSON fields rejected rather than silently dropped. An RPC
		// answering google.api.HttpBody (map tiles) sends its bytes with
		// its own content type.
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.HTTPBodyMarshaler{Marshaler: jsonPb}),
		// Reports as CSV for `Accept: text/csv` (withFormat maps
		// `?format=csv` to it).
		runtime.WithMarshalerOption("text/csv", &runtime.HTTPBodyMarshaler{Marshaler: csvMarshaler{jsonPb}}),
		runtime.WithForwardResponseOption(nextPageHeader),
	)
	regs := []struct {
		name string
		fn   func() error
	}{
		{"ticket", func() error { return ticketv1.RegisterTicketServiceHandler(ctx, mux, b.Ticket) }},
		{"routing", func() error { return routingv1.RegisterRoutingServiceHandler(ctx, mux, b.Routing) }},
		{"sla", func() error { return slav1.RegisterSlaServiceHandler(ctx, mux, b.SLA) }},
		{"notify", func() error { return notifyv1.RegisterNotifyServiceHandler(ctx, mux, b.Notify) }},
	}
	for _, r := range regs {
		if err := r.fn(); err != nil {
			return nil, fmt.Errorf("httpapi.New: register %s: %w", r.name, err)
		}
	}

	root := http.NewServeMux()
	root.Handle("/v1/", withFormat(mux))
	// Photos stream through hand-written handlers: grpc-gateway cannot
	// turn multipart bodies into client streams, nor server streams into
	// raw bytes with headers of their own.
	att := &attachments{tickets: ticketv1.NewTicketServiceClient(b.Ticket), json: mux, u: opts.Uploads}
	root.HandleFunc("POST /v1/tickets", att.create)
	root.HandleFunc("POST /v1/tickets/{id}/attachments", att.upload)
	root.HandleFunc("GET /v1/tickets/{id}/attachments/{aid}", att.download)
	root.HandleFunc("GET /v1/tickets/{id}/attachments/{aid}/thumbnail", att.download)
	root.HandleFunc("GET /openapi.json", serveOpenAPI)
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	root.Handle("GET /readyz", readiness(b))
	if opts.Open311 != nil {
		root.Handle("/open311/v2/", opts.Open311)
	}
	if opts.Notify != nil {
		opts.Notify.Register(root)
	}
	if opts.Public != nil {
		root.Handle("GET /public/v1/aggregates", opts.Public)
	}
	if opts.Console != nil {
		root.Handle("/console/", opts.Console)
		root.Handle("GET /console", opts.Console)
	}

	var h http.Handler = root
	h = limitBody(h, func(r *http.Request) int64 {
		// A multipart upload is bounded by its files' limits, counted as
		// they stream; every other body by MaxBodyBytes.
		if r.Method == http.MethodPost && upload.IsMultipart(r) && opts.Uploads.MaxFileBytes > 0 {
			return opts.Uploads.maxBody(opts.MaxBodyBytes)
		}
		return opts.MaxBodyBytes
	})
	h = rateLimited(h, opts.RateLimit)
	h = withRequestID(h)
	if len(opts.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins: opts.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete},
			AllowedHeaders: []string{"Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"},
			ExposedHeaders: []string{"X-Request-Id", "Retry-After", "X-Next-Page-Token"},
			MaxAge:         600,
		}).Handler(h)
	}
	return h, nil
}

// serveOpenAPI serves the generated OpenAPI document of the whole API.
func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapi.Document)
}

// withRequestID gives every request an id (the caller's X-Request-Id when it
// is sane, else a new UUID), forwards it to the services and returns it.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 128 || strings.ContainsAny(id, "\r\n") {
			id = uuid.NewString()
		}
		r.Header.Set("X-Request-Id", id)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies over limit(r) bytes: at once when
// Content-Length says so, and while reading otherwise.
func limitBody(next http.Handler, limit func(*http.Request) int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if max := limit(r); max > 0 {
			if r.ContentLength > max {
				writeError(r.Context(), nil, nil, w, r, &http.MaxBytesError{Limit: max})
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		next.ServeHTTP(w, r)
	})
}

// asMaxBytesError finds an *http.MaxBytesError in err's chain.
func asMaxBytesError(err error) *http.MaxBytesError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return mbe
	}
	return nil
}
