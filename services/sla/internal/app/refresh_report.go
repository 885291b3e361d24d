package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// refreshReport derives a ticket's report row from its state and clocks as
// they are in tx, and moves the daily cells by the difference from the row
// before: reports are kept in step with the clocks in the transaction that
// changes them, so no report ever scans the clocks. With cells, the cells'
// changes are gathered there for the caller to apply once (a batch of
// events) instead.
func (a *App) refreshReport(ctx context.Context, tx pgx.Tx, ticketID string, cells domain.CellChanges) error {
	old, t, clocks, err := store.ReportInputs(ctx, tx, ticketID)
	if err != nil {
		return err
	}
	cur, ok := domain.ReportTicketOf(t, clocks)
	if !ok {
		return nil
	}
	deltas := domain.Deltas(old, cur)
	if old != nil && len(deltas) == 0 && *old == cur {
		return nil
	}
	if cells != nil {
		cells.Add(deltas...)
		deltas = nil
	}
	return store.SaveReportTicket(ctx, tx, cur, deltas)
}
