// Package server is the gRPC edge of the ticket service: it reads the
// caller's claims, maps protobuf requests to domain input and back, and
// leaves every decision to package app.
package server

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/ticket/internal/app"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Server implements TicketService and TicketInternalService.
type Server struct {
	ticketv1.UnimplementedTicketServiceServer
	ticketv1.UnimplementedTicketInternalServiceServer
	app *app.App
}

// New returns the handlers over a.
func New(a *app.App) *Server { return &Server{app: a} }

// Register adds both services to g.
func (s *Server) Register(g *grpc.Server) {
	ticketv1.RegisterTicketServiceServer(g, s)
	ticketv1.RegisterTicketInternalServiceServer(g, s)
}

// viewer returns the authenticated caller. The auth interceptor guarantees
// claims on every non-public method; their absence is a wiring bug.
func viewer(ctx context.Context) (domain.Viewer, error) {
	c, ok := auth.FromContext(ctx)
	if !ok {
		return domain.Viewer{}, apperr.Unauthenticated("missing credentials")
	}
	return domain.Viewer{Subject: c.Subject, Tenant: c.Tenant, Roles: c.Roles}, nil
}

// idempotencyKey is the request field, or else the `idempotency-key`
// metadata the gateway fills from the HTTP Idempotency-Key header.
func idempotencyKey(ctx context.Context, field string) string {
	if field != "" {
		return field
	}
	md, _ := metadata.FromIncomingContext(ctx)
	if vs := md.Get("idempotency-key"); len(vs) > 0 {
		return strings.TrimSpace(vs[0])
	}
	return ""
}
