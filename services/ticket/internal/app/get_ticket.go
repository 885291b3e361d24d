package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// GetTicket returns a ticket the caller may see. One it may not see (a GBV
// ticket asked for by anyone but the tenant's SAPS liaison included) is
// NotFound, exactly like one that does not exist.
func (a *App) GetTicket(ctx context.Context, id string) (domain.Ticket, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Ticket{}, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return domain.Ticket{}, err
	}
	var t domain.Ticket
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if t, err = a.store.GetTicket(ctx, tx, id, domain.VisibilityOf(c), store.NoLock); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "GetTicket", t)
	})
	if err != nil {
		return domain.Ticket{}, wrap("GetTicket", err)
	}
	return domain.Redact(c, t), nil
}
