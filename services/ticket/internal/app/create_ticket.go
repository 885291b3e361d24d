package app

import (
	"context"
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// CreateTicket records a new report. The ticket is returned at once; routing
// and SLA learn of it through jobs committed with it. With an idempotency key
// a retry returns the first ticket (see store.Create). The reporter of a GBV
// ticket who is not its SAPS liaison gets a receipt without the content.
func (a *App) CreateTicket(ctx context.Context, v domain.Viewer, in domain.CreateInput) (domain.Ticket, error) {
	if err := requirePublic(v); err != nil {
		return domain.Ticket{}, err
	}
	if in.Tenant == "" {
		in.Tenant = v.Tenant
	}
	if err := in.Validate(); err != nil {
		return domain.Ticket{}, err
	}
	if in.Tenant != v.Tenant {
		return domain.Ticket{}, apperr.PermissionDenied("tickets can only be created in the caller's own tenant")
	}
	if in.Channel == "" {
		in.Channel = "web"
	}
	t, created, err := a.store.Create(ctx, v, in, a.events.TicketCreated)
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("app.CreateTicket: %w", err)
	}
	if created && t.IsGBV() && !v.ReadsGBV() {
		return t.Receipt(), nil
	}
	return t, nil
}
