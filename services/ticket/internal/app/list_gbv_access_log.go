package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListGbvAccessLog lists reads of GBV tickets, newest first, for platform
// admins only (the entries hold ids, never content).
func (a *App) ListGbvAccessLog(ctx context.Context, q domain.AccessLogQuery) ([]domain.AccessLogEntry, string, error) {
	c, err := access.Check(ctx, func(c access.Caller) error {
		if c.RequirePlatformAdmin() != nil {
			return apperr.PermissionDenied("only platform admins may read the GBV access log")
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if err := q.Validate(); err != nil {
		return nil, "", err
	}
	before, err := decodeLogToken(q.PageToken, q.Tenant, q.TicketID)
	if err != nil {
		return nil, "", err
	}
	var (
		es   []domain.AccessLogEntry
		more bool
	)
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		es, more, err = a.store.ListAccessLog(ctx, tx, q.Tenant, q.TicketID, before, q.PageSize)
		return err
	})
	if err != nil {
		return nil, "", wrap("ListGbvAccessLog", err)
	}
	next := ""
	if more {
		next = encodeLogToken(es[len(es)-1].ID, q.Tenant, q.TicketID)
	}
	return es, next, nil
}
