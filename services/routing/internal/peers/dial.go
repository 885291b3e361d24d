// Package peers is the routing service's clients of other services: a
// small adapter over the generated gRPC client of the ticket service that
// the outbox workers call (outbox.TicketClient). The connection is dialed
// with libs/peers, so every call carries a service token for the tenant of
// the job it delivers.
package peers

import (
	"io"

	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/routing/internal/outbox"
)

// nothing closes no connection.
type nothing struct{}

// Close implements io.Closer.
func (nothing) Close() error { return nil }

// Dial connects as id to the ticket service when its address is set and
// returns the outbox's delivery targets (none without an address) and a
// closer of the connection.
func Dial(id libpeers.Identity, ticketAddr string) (outbox.Peers, io.Closer, error) {
	if ticketAddr == "" {
		return outbox.Peers{}, nothing{}, nil
	}
	conn, err := libpeers.Dial(ticketAddr, id)
	if err != nil {
		return outbox.Peers{}, nothing{}, err
	}
	return outbox.Peers{Ticket: NewTicket(conn)}, conn, nil
}
