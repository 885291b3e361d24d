package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// The reads and writes below go out as one round trip each, where one
// statement at a time would take a round trip per statement.

// ReportInputs reads what refreshing a ticket's report row takes, in one
// round trip: the row, locked until the transaction ends (nil when it has
// none yet), the ticket (ErrNotClockedYet when unknown) and its clocks
// (TicketClocks).
func ReportInputs(ctx context.Context, tx pgx.Tx, ticketID string) (*domain.ReportTicket, domain.TicketState, []domain.Clock, error) {
	var (
		old    *domain.ReportTicket
		t      domain.TicketState
		clocks []domain.Clock
	)
	b := &pgx.Batch{}
	b.Queue(lockReportTicketSQL, ticketID).QueryRow(func(row pgx.Row) error {
		r, err := scanReportTicket(row)
		switch {
		case pg.IsNoRows(err):
			return nil // a new ticket: no row yet
		case err != nil:
			return wrap("store.ReportInputs: report row", err)
		}
		old = &r
		return nil
	})
	b.Queue(getTicketSQL, ticketID).QueryRow(func(row pgx.Row) error {
		var err error
		t, err = scanTicketState(row)
		return interpretError("store.ReportInputs: ticket", err, outcomes{noRows: domain.ErrNotClockedYet})
	})
	queueTicketClocks(b, ticketID, &clocks)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, t, nil, err
	}
	return old, t, clocks, nil
}

// MirrorInputs hands out the ticket's next deadline revision (the
// ordering key the ticket service uses to ignore stale mirrors) and reads
// its clocks (TicketClocks), in one round trip.
func MirrorInputs(ctx context.Context, tx pgx.Tx, ticketID string) (int64, []domain.Clock, error) {
	var (
		rev    int64
		clocks []domain.Clock
	)
	b := &pgx.Batch{}
	b.Queue(nextDeadlineRevisionSQL, ticketID).QueryRow(func(row pgx.Row) error {
		return wrap("store.MirrorInputs: revision", row.Scan(&rev))
	})
	queueTicketClocks(b, ticketID, &clocks)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, nil, err
	}
	return rev, clocks, nil
}

// SaveClocks is SaveClock of each of cs, in their order, in one round
// trip.
func SaveClocks(ctx context.Context, tx pgx.Tx, cs []domain.Clock) error {
	if len(cs) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, c := range cs {
		queueSaveClock(b, c)
	}
	return wrap("store.SaveClock", tx.SendBatch(ctx, b).Close())
}

// queueTicketClocks adds TicketClocks of ticketID to b, into out.
func queueTicketClocks(b *pgx.Batch, ticketID string, out *[]domain.Clock) {
	b.Queue(ticketClocksSQL, ticketID).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Clock, error) { return scanClock(r) })
		return wrap("store.TicketClocks", err)
	})
}
