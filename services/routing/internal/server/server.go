// Package server is the gRPC edge of the routing service: it maps protobuf
// requests to the use cases' input (package app, package domain) and their
// results back, and nothing else. Rules, defaults and authorization are the
// use cases' (which read the caller with libs/access) and domain's; SQL is
// the store's.
package server

import (
	"google.golang.org/grpc"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/services/routing/internal/app"
)

// MaxRecvMsgSize lets imports of whole boundary files (the country's wards
// are ~6 MB of GeoJSON, more as a Struct) reach the service.
const MaxRecvMsgSize = 64 << 20

// Server implements RoutingService (public) and RoutingInternalService
// (service to service).
type Server struct {
	routingv1.UnimplementedRoutingServiceServer
	app *app.App
}

// New returns the handlers over a.
func New(a *app.App) *Server { return &Server{app: a} }

// Register adds both services to r.
func (s *Server) Register(r grpc.ServiceRegistrar) {
	routingv1.RegisterRoutingServiceServer(r, s)
	routingv1.RegisterRoutingInternalServiceServer(r, internalServer{app: s.app})
}

// internalServer gives the internal service its own method set, so the
// public and internal RPCs cannot be confused in registration.
type internalServer struct {
	routingv1.UnimplementedRoutingInternalServiceServer
	app *app.App
}
