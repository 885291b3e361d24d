// Package peers is the SLA service's clients of other services: small
// adapters over the generated gRPC clients that the outbox workers call
// (outbox.RoutingClient, outbox.TicketClient, outbox.NotifyClient). Connections are dialed with
// libs/peers, so every call carries a service token for the tenant of the
// job it delivers.
package peers

import (
	"io"

	"google.golang.org/grpc"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/sla/internal/outbox"
)

// Dial connects as id to the peers whose address is set and returns the
// outbox's delivery targets (nil for a peer without an address) and a
// closer of the connections.
func Dial(id libpeers.Identity, routingAddr, ticketAddr, notifyAddr string) (ps outbox.Peers, conns io.Closer, err error) {
	conns, err = libpeers.DialAll(id,
		libpeers.Peer{Addr: routingAddr, Use: func(c grpc.ClientConnInterface) { ps.Routing = NewRouting(c) }},
		libpeers.Peer{Addr: ticketAddr, Use: func(c grpc.ClientConnInterface) { ps.Ticket = NewTicket(c) }},
		libpeers.Peer{Addr: notifyAddr, Use: func(c grpc.ClientConnInterface) { ps.Notify = NewNotify(c) }})
	return ps, conns, err
}
