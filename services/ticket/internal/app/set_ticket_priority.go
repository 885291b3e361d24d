package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// SetTicketPriority sets a ticket's priority (staff; a GBV ticket only the
// SAPS liaison), with a `priority_changed` entry and the SLA event that
// measures its open clocks against the new priority from now. Staff's
// priority holds from then on over the rule's suggestion; setting the
// priority it already has by staff changes nothing.
func (a *App) SetTicketPriority(ctx context.Context, r domain.PriorityChange) (domain.Ticket, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Ticket{}, err
	}
	if err := r.Validate(); err != nil {
		return domain.Ticket{}, err
	}
	if !c.IsStaff() {
		return domain.Ticket{}, apperr.PermissionDenied("only municipal staff set a ticket's priority")
	}
	var t domain.Ticket
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if t, err = a.store.GetTicket(ctx, tx, r.TicketID, domain.VisibilityOf(c), store.ForUpdate); err != nil {
			return err
		}
		if err := domain.MayChange(c, t); err != nil {
			return err
		}
		if t.PriorityByStaff && t.Priority == r.To {
			return a.logReads(ctx, tx, c, "SetTicketPriority", t)
		}
		now := a.timestamp()
		from := t.Priority
		t.Priority, t.PriorityByStaff, t.UpdateTime = r.To, true, now
		if err := a.changePriority(ctx, tx, t, from, c.Subject(), r.Reason, now); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "SetTicketPriority", t)
	})
	if err != nil {
		return domain.Ticket{}, wrap("SetTicketPriority", err)
	}
	return domain.Redact(c, t), nil
}
