// Package peers is the routing service's clients of other services: a
// small adapter over the generated gRPC client of the ticket service that
// the outbox workers call (outbox.TicketClient). The connection is dialed
// with libs/peers, so every call carries a service token for the tenant of
// the job it delivers.
package peers

import (
	"io"

	"google.golang.org/grpc"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/routing/internal/outbox"
)

// Dial connects as id to the peers whose address is set and returns the
// outbox's delivery targets (nil for a peer without an address) and a
// closer of the connections.
func Dial(id libpeers.Identity, ticketAddr string) (ps outbox.Peers, conns io.Closer, err error) {
	conns, err = libpeers.DialAll(id,
		libpeers.Peer{Addr: ticketAddr, Use: func(c grpc.ClientConnInterface) { ps.Ticket = NewTicket(c) }})
	return ps, conns, err
}
