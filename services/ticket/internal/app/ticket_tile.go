package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// GetTicketTile renders the tickets the caller may see on one map tile as a
// Mapbox vector tile. Tenant defaulting, the cross-tenant rule and
// visibility are those of ListTickets; each GBV ticket on a SAPS liaison's
// tile is recorded in the access log, as a list read would be.
func (a *App) GetTicketTile(ctx context.Context, r domain.TileRequest) ([]byte, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return nil, err
	}
	if err := r.Resolve(c); err != nil {
		return nil, err
	}
	var mvt []byte
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		var gbv []domain.Ticket
		if mvt, gbv, err = a.store.Tile(ctx, tx, domain.VisibilityOf(c), r.Tile, r.Filter, a.timestamp()); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "GetTicketTile", gbv...)
	})
	if err != nil {
		return nil, wrap("GetTicketTile", err)
	}
	return mvt, nil
}
