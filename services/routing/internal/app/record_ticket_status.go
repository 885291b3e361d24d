package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// RecordTicketStatus stores the status of a ticket of the caller's job
// (internal RPC), unless a later one is known; it reports whether it
// applied. Queues leave finished tickets out, and a member's load counts
// only open ones.
func (a *App) RecordTicketStatus(ctx context.Context, r domain.StatusReport) (bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, r)
	if err != nil {
		return false, err
	}
	var applied bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.store.RecordStatus(ctx, tx, r)
		return err
	})
	return applied, wrap("RecordTicketStatus", err)
}
