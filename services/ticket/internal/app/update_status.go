package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// UpdateTicketStatus moves a ticket through its life cycle. Staff (agent,
// team manager, municipal admin, and the SAPS liaison, the only staff who see
// GBV tickets) may make any legal move. A citizen may only cancel their own
// ticket while it is still open, with a reason: withdrawing a report needs
// nobody's help, but working it does. Platform admins do not work tickets.
func (a *App) UpdateTicketStatus(ctx context.Context, v domain.Viewer, id string, to domain.Status, reason string) (domain.Ticket, error) {
	if err := requirePublic(v); err != nil {
		return domain.Ticket{}, err
	}
	if err := checkID(id, "id"); err != nil {
		return domain.Ticket{}, err
	}
	if to == "" {
		return domain.Ticket{}, apperr.Invalid("status", "must be a ticket status")
	}
	reason = strings.TrimSpace(reason)
	if r := domain.TextRule(reason, domain.MaxReason, to == domain.StatusCancelled); r != "" {
		return domain.Ticket{}, apperr.Invalid("reason", r)
	}
	if !v.IsStaff() && !v.Has(domain.RoleCitizen) {
		return domain.Ticket{}, apperr.PermissionDenied("only municipal staff change ticket status")
	}
	decide := func(t domain.Ticket) (store.StatusMove, error) {
		if !v.IsStaff() && !(to == domain.StatusCancelled && t.Status == domain.StatusOpen && t.ReporterSubject == v.Subject) {
			return store.StatusMove{}, apperr.PermissionDenied("a citizen may only cancel their own open ticket")
		}
		if err := domain.CheckTransition(t.Status, to); err != nil {
			return store.StatusMove{}, apperr.FailedPrecondition(err.Error())
		}
		first := v.IsStaff() && t.Status == domain.StatusOpen && t.FirstRespondedAt == nil
		return store.StatusMove{To: to, Reason: reason, FirstResponse: first}, nil
	}
	t, err := a.store.UpdateStatus(ctx, v, id, decide, a.events.StatusChanged)
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("app.UpdateTicketStatus: %w", err)
	}
	return redact(v, t), nil
}
