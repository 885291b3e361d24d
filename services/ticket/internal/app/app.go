// Package app holds the ticket service's use cases, one per file: who may do
// what, defaults, and the order of effects. Storage and delivery to other
// services sit behind the Store and Events it is given.
package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// Events records, inside the transaction of a change, what other services
// must learn about it (implemented by package outbox).
type Events interface {
	// TicketCreated records that a new ticket must be routed and clocked.
	TicketCreated(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error
	// StatusChanged records that a status change must reach routing and SLA.
	StatusChanged(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error
}

// App is the ticket service's use cases.
type App struct {
	store  *store.Store
	events Events
}

// New returns the use cases over st, recording cross-service work with ev.
func New(st *store.Store, ev Events) *App { return &App{store: st, events: ev} }

// requirePublic refuses callers without a public-API role (a bare service
// token is for internal RPCs only).
func requirePublic(v domain.Viewer) error {
	if !v.UsesPublicAPI() {
		return apperr.PermissionDenied("this RPC needs a citizen, staff or platform admin role")
	}
	return nil
}

// requireService refuses callers of internal RPCs without the service role.
func requireService(v domain.Viewer) error {
	if !v.Has(domain.RoleService) {
		return apperr.PermissionDenied("internal RPC: service role required")
	}
	return nil
}

// checkID refuses an id that is not a UUID, naming field.
func checkID(id, field string) error {
	if id == "" {
		return apperr.Invalid(field, "is required")
	}
	if _, err := uuid.Parse(id); err != nil {
		return apperr.Invalid(field, "must be a UUID")
	}
	return nil
}
