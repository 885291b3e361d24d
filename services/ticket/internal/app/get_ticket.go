package app

import (
	"context"
	"fmt"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// GetTicket returns a ticket the viewer may see. A ticket the viewer may not
// see (a GBV ticket asked for by anyone but the tenant's SAPS liaison
// included) is NotFound, exactly like one that does not exist.
func (a *App) GetTicket(ctx context.Context, v domain.Viewer, id string) (domain.Ticket, error) {
	if err := requirePublic(v); err != nil {
		return domain.Ticket{}, err
	}
	if err := checkID(id, "id"); err != nil {
		return domain.Ticket{}, err
	}
	t, err := a.store.Get(ctx, v, id, "GetTicket")
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("app.GetTicket: %w", err)
	}
	return redact(v, t), nil
}

// redact drops the reporter's contact details for viewers who are neither
// staff of the tenant nor the reporter: platform admins administer the
// platform, they do not need citizens' phone numbers.
func redact(v domain.Viewer, t domain.Ticket) domain.Ticket {
	if !v.IsStaff() && t.ReporterSubject != v.Subject {
		t.Reporter = domain.Reporter{}
	}
	return t
}
