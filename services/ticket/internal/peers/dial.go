// Package peers is the ticket service's clients of other services: small
// adapters over the generated gRPC clients that the outbox workers call
// (outbox.RoutingClient, outbox.SLAClient, outbox.NotifyClient). Connections are dialed with
// libs/peers, so every call carries a service token for the tenant of the
// job it delivers.
package peers

import (
	"errors"
	"io"

	"google.golang.org/grpc"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
)

// Dial connects as id to the peers whose address is set and returns the
// outbox's delivery targets (nil for a peer without an address) and a
// closer of the connections.
func Dial(id libpeers.Identity, routingAddr, slaAddr, notifyAddr string) (outbox.Peers, io.Closer, error) {
	var (
		ps    outbox.Peers
		conns closers
	)
	dial := func(addr string) (*grpc.ClientConn, error) {
		conn, err := libpeers.Dial(addr, id)
		if err == nil {
			conns = append(conns, conn)
		}
		return conn, err
	}
	if routingAddr != "" {
		conn, err := dial(routingAddr)
		if err != nil {
			return ps, conns, err
		}
		ps.Routing = NewRouting(conn)
	}
	if slaAddr != "" {
		conn, err := dial(slaAddr)
		if err != nil {
			return ps, conns, err
		}
		ps.SLA = NewSLA(conn)
	}
	if notifyAddr != "" {
		conn, err := dial(notifyAddr)
		if err != nil {
			return ps, conns, err
		}
		ps.Notify = NewNotify(conn)
	}
	return ps, conns, nil
}

// closers closes connections together.
type closers []*grpc.ClientConn

// Close implements io.Closer.
func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
