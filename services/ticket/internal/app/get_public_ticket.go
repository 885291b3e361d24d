package app

import (
	"context"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// GetPublicTicket returns one public ticket of the caller's jurisdiction
// (internal RPC, the gateway's Open311); a GBV ticket is NotFound like a
// missing one, so its existence is not revealed either.
func (a *App) GetPublicTicket(ctx context.Context, tenant, id string, withNotes bool) (domain.PublicTicket, error) {
	if err := domain.CheckID(id, "id"); err != nil {
		return domain.PublicTicket{}, err
	}
	ts, _, err := a.ListPublicTickets(ctx, domain.PublicFilter{Tenant: tenant, IDs: []string{id}, Limit: 1, WithNotes: withNotes})
	if err != nil {
		return domain.PublicTicket{}, err
	}
	if len(ts) == 0 {
		return domain.PublicTicket{}, domain.ErrTicketNotFound
	}
	return ts[0], nil
}
