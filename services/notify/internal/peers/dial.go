// Package peers is the notify service's clients of everything outside it:
// the routing and SLA services (adapters over their generated gRPC
// clients, dialed with libs/peers, so every call carries a service token
// for the tenant of its work), and the message providers: email over SMTP,
// SMS through a Twilio- or Clickatell-compatible API, WhatsApp through the
// Cloud API, and teams' signed webhooks, each behind app.Sender, with the
// readers of their inbound webhooks behind app.Inbound.
package peers

import (
	"errors"
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
func Dial(id libpeers.Identity, routingAddr, slaAddr string) (Services, io.Closer, error) {
	var (
		s     Services
		conns closers
	)
	for _, p := range []struct {
		addr string
		set  func(*grpc.ClientConn)
	}{
		{routingAddr, func(c *grpc.ClientConn) { s.Routing = NewRouting(c) }},
		{slaAddr, func(c *grpc.ClientConn) { s.SLA = NewSLA(c) }},
	} {
		if p.addr == "" {
			continue
		}
		conn, err := libpeers.Dial(p.addr, id)
		if err != nil {
			return s, conns, err
		}
		conns = append(conns, conn)
		p.set(conn)
	}
	return s, conns, nil
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
