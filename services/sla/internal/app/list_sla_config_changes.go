package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ListSlaConfigChanges lists the recorded changes of a policy ("" for
// every rule), newest first (staff and services).
func (a *App) ListSlaConfigChanges(ctx context.Context, configID string) ([]domain.ConfigChange, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaffOrService)
	if err != nil {
		return nil, err
	}
	if configID != "" {
		if err := domain.CheckID(configID, "config_id"); err != nil {
			return nil, err
		}
	}
	var out []domain.ConfigChange
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = store.ListConfigChanges(ctx, tx, configID)
		return err
	})
	if err != nil {
		return nil, wrap("ListSlaConfigChanges", err)
	}
	return out, nil
}
