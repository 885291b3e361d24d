// Package server is the gRPC edge of the SLA service: it maps protobuf
// requests to the use cases' input (package app) and their results back,
// and nothing else. Rules, defaults and authorization are the use cases'
// (which read the caller with libs/access); SQL is the store's.
package server

import (
	"google.golang.org/grpc"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/services/sla/internal/app"
)

// Server implements SlaService and SlaInternalService.
type Server struct {
	slav1.UnimplementedSlaServiceServer
	slav1.UnimplementedSlaInternalServiceServer
	app *app.App
}

// New returns the handlers over a.
func New(a *app.App) *Server { return &Server{app: a} }

// Register adds both services to g.
func (s *Server) Register(g *grpc.Server) {
	slav1.RegisterSlaServiceServer(g, s)
	slav1.RegisterSlaInternalServiceServer(g, s)
}
