// Package peers is the notify service's clients of everything outside it:
// the routing and SLA services (adapters over their generated gRPC
// clients, dialed with libs/peers, so every call carries a service token
// for the tenant of its work), and the message providers: email over SMTP,
// SMS through a Twilio- or Clickatell-compatible API, WhatsApp through the
// Cloud API, and teams' signed webhooks, each behind app.Sender, with the
// readers of their inbound webhooks behind app.Inbound.
package peers

import (
	"io"

	"google.golang.org/grpc"

	libpeers "github.com/salga/trustengine/libs/peers"
)

// Services are the routing and SLA adapters.
type Services struct {
	Routing *Routing
	SLA     *SLA
}

// Dial connects as id to routing and SLA where their addresses are set
// (nil adapters otherwise) and returns a closer of the connections.
func Dial(id libpeers.Identity, routingAddr, slaAddr string) (s Services, conns io.Closer, err error) {
	conns, err = libpeers.DialAll(id,
		libpeers.Peer{Addr: routingAddr, Use: func(c grpc.ClientConnInterface) { s.Routing = NewRouting(c) }},
		libpeers.Peer{Addr: slaAddr, Use: func(c grpc.ClientConnInterface) { s.SLA = NewSLA(c) }})
	return s, conns, err
}
