package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ListAssignments returns a ticket's assignment history, oldest first, to
// staff of its municipality. A ticket whose history the caller may not see
// (another tenant's, or GBV for anyone but the tenant's SAPS liaison) is
// NotFound, exactly as a missing id.
func (a *App) ListAssignments(ctx context.Context, ticketID string) ([]domain.Assignment, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return nil, err
	}
	var out []domain.Assignment
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if out, err = a.store.ListAssignments(ctx, tx, ticketID, c.CanSeeGBV()); err != nil {
			return err
		}
		if len(out) == 0 {
			return domain.ErrTicketNotFound
		}
		as := make([]*domain.Assignment, len(out))
		for i := range out {
			as[i] = &out[i]
		}
		return a.disclose(ctx, tx, c, domain.ActionListAssignments, as...)
	})
	if err != nil {
		return nil, wrap("ListAssignments", err)
	}
	return out, nil
}
