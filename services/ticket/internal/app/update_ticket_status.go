package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// UpdateTicketStatus moves a ticket through its life cycle as
// domain.DecideMove rules, with a `status_changed` history entry and the
// jobs telling routing and SLA, in one transaction that holds the ticket's
// row lock. The answer is the whole ticket, so a GBV ticket's read is
// logged.
func (a *App) UpdateTicketStatus(ctx context.Context, r domain.StatusChange) (domain.Ticket, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Ticket{}, err
	}
	if err := r.Validate(); err != nil {
		return domain.Ticket{}, err
	}
	if err := domain.MayChangeStatus(c); err != nil {
		return domain.Ticket{}, err
	}
	var t domain.Ticket
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if t, err = a.store.GetTicket(ctx, tx, r.TicketID, domain.VisibilityOf(c), store.ForUpdate); err != nil {
			return err
		}
		m, err := domain.DecideMove(c, t, r)
		if err != nil {
			return err
		}
		now := a.timestamp()
		t = t.Apply(m, now)
		h := m.Entry(t.ID, c.Subject())
		h.EventID, h.CreateTime = uuid.NewString(), now
		if h.Sequence, err = a.store.SaveStatus(ctx, tx, t, m); err != nil {
			return err
		}
		if err := a.store.InsertHistory(ctx, tx, t, h); err != nil {
			return err
		}
		if err := a.jobs.StatusChanged(ctx, tx, t, h); err != nil {
			return err
		}
		if err := a.notifyFollowed(ctx, tx, t, t.StatusNotice(h)); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "UpdateTicketStatus", t)
	})
	if err != nil {
		return domain.Ticket{}, wrap("UpdateTicketStatus", err)
	}
	return domain.Redact(c, t), nil
}
