package outbox

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Enqueuer inserts the jobs of ticket changes into the caller's transaction.
type Enqueuer struct {
	client *river.Client[pgx.Tx]
}

// NewEnqueuer returns an Enqueuer using client (insert-only or working).
func NewEnqueuer(client *river.Client[pgx.Tx]) *Enqueuer { return &Enqueuer{client: client} }

// TicketCreated records that routing must route t and SLA must start its
// clocks; h is the `created` history entry whose event id keys the SLA event.
func (e *Enqueuer) TicketCreated(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error {
	_, err := e.client.InsertManyTx(ctx, tx, []river.InsertManyParams{
		{Args: RouteTicketArgs{Tenant: t.Tenant, TicketID: t.ID, Category: string(t.Category), Lat: t.Location.Lat, Lng: t.Location.Lng}},
		{Args: slaEvent(t, h, EventCreated)},
	})
	if err != nil {
		return fmt.Errorf("outbox.TicketCreated: river.InsertManyTx: %w", err)
	}
	return nil
}

// StatusChanged records that SLA and routing must learn t's new status.
func (e *Enqueuer) StatusChanged(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error {
	_, err := e.client.InsertManyTx(ctx, tx, []river.InsertManyParams{
		{Args: slaEvent(t, h, EventStatusChanged)},
		{Args: RoutingStatusArgs{Tenant: t.Tenant, TicketID: t.ID, Status: string(h.To), Sequence: h.Sequence}},
	})
	if err != nil {
		return fmt.Errorf("outbox.StatusChanged: river.InsertManyTx: %w", err)
	}
	return nil
}

func slaEvent(t domain.Ticket, h domain.HistoryEntry, event string) SLAEventArgs {
	return SLAEventArgs{
		EventID: h.EventID, Tenant: t.Tenant, TicketID: t.ID, Category: string(t.Category), Event: event,
		From: string(h.From), To: string(h.To), FirstResponse: h.Detail == "first_response",
		OccurTime: h.CreateTime, Sequence: h.Sequence,
	}
}
