// Package server implements the routing gRPC services: authorisation,
// request validation and the mapping between protos and the domain.
package server

import (
	"google.golang.org/grpc"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/services/routing/internal/app"
)

// MaxRecvMsgSize lets imports of whole boundary files (the country's wards
// are ~6 MB of GeoJSON, more as a Struct) reach the service.
const MaxRecvMsgSize = 64 << 20

// Server serves RoutingService (public) and RoutingInternalService
// (service-to-service).
type Server struct {
	routingv1.UnimplementedRoutingServiceServer
	routingv1.UnimplementedRoutingInternalServiceServer
	app *app.App
}

// New returns a Server backed by a.
func New(a *app.App) *Server { return &Server{app: a} }

// Register adds both services to r.
func (s *Server) Register(r grpc.ServiceRegistrar) {
	routingv1.RegisterRoutingServiceServer(r, s)
	routingv1.RegisterRoutingInternalServiceServer(r, internalServer{s})
}

// internalServer gives the internal service its own method set, so the
// public and internal RPCs cannot be confused in registration.
type internalServer struct{ *Server }
