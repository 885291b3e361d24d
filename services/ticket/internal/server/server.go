// Package server is the gRPC edge of the ticket service: it maps protobuf
// requests to the use cases' input (package app) and their results back,
// and nothing else. Rules, defaults and authorization are the use cases'
// (which read the caller with libs/access); SQL is the store's.
package server

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/ticket/internal/app"
)

// MaxRecvMsgSize is the largest request the ticket service accepts. It is
// above every field limit, so that oversized text (a 10 MB description) is
// refused by validation naming the field, not by gRPC's default 4 MB cap.
const MaxRecvMsgSize = 16 << 20

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
