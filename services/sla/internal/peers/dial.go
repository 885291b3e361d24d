// Package peers is the SLA service's clients of other services: small
// adapters over the generated gRPC clients that the outbox workers call
// (outbox.RoutingClient, outbox.TicketClient). Connections are dialed with
// libs/peers, so every call carries a service token for the tenant of the
// job it delivers.
package peers

import (
	"errors"
	"io"

	"google.golang.org/grpc"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/sla/internal/outbox"
)

// Dial connects as id to the peers whose address is set and returns the
// outbox's delivery targets (nil for a peer without an address) and a
// closer of the connections.
func Dial(id libpeers.Identity, routingAddr, ticketAddr string) (outbox.Peers, io.Closer, error) {
	var (
		ps    outbox.Peers
		conns connections
	)
	for _, p := range []struct {
		addr string
		set  func(grpc.ClientConnInterface)
	}{
		{routingAddr, func(c grpc.ClientConnInterface) { ps.Routing = NewRouting(c) }},
		{ticketAddr, func(c grpc.ClientConnInterface) { ps.Ticket = NewTicket(c) }},
	} {
		if p.addr == "" {
			continue
		}
		conn, err := libpeers.Dial(p.addr, id)
		if err != nil {
			return ps, conns, err
		}
		conns = append(conns, conn)
		p.set(conn)
	}
	return ps, conns, nil
}

// connections are closed together.
type connections []*grpc.ClientConn

// Close implements io.Closer.
func (cs connections) Close() error {
	errs := make([]error, 0, len(cs))
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
