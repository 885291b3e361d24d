package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// RecordGBVAccess logs an answer of another service that carried sealed
// content of GBV tickets (internal RPC), once per event id, in the
// municipality of the caller's job.
func (a *App) RecordGBVAccess(ctx context.Context, e domain.GBVAccess) (bool, error) {
	c, err := access.ForJob(ctx, access.Caller.RequireService, &e)
	if err != nil {
		return false, err
	}
	var applied bool
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		applied, err = a.store.RecordAccess(ctx, tx, e)
		return err
	})
	return applied, wrap("RecordGBVAccess", err)
}
