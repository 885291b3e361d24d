package app

import (
	"context"
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// GetTicketTile renders the tickets the viewer may see on one map tile as a
// Mapbox vector tile. Tenant defaulting, the cross-tenant rule and the
// filter checks are those of ListTickets.
func (a *App) GetTicketTile(ctx context.Context, v domain.Viewer, tile domain.Tile, tf domain.TileFilter) ([]byte, error) {
	if err := requirePublic(v); err != nil {
		return nil, err
	}
	if tf.Tenant == "" && !v.AllTenants() {
		tf.Tenant = v.Tenant
	}
	if !v.AllTenants() && tf.Tenant != v.Tenant {
		return nil, apperr.PermissionDenied("only platform admins may map another tenant's tickets")
	}
	var vs []apperr.FieldViolation
	if tile.Z < 0 || tile.Z > domain.MaxTileZoom {
		vs = append(vs, apperr.FieldViolation{Field: "z", Rule: fmt.Sprintf("must be from 0 to %d", domain.MaxTileZoom)})
	} else if !tile.Valid() {
		vs = append(vs, apperr.FieldViolation{Field: "x", Rule: "x and y must be from 0 to 2^z - 1"})
	}
	if r := domain.TextRule(tf.AssignedTeamID, 128, false); r != "" {
		vs = append(vs, apperr.FieldViolation{Field: "assigned_team_id", Rule: r})
	}
	if len(vs) > 0 {
		return nil, apperr.InvalidFields(vs...)
	}
	mvt, err := a.store.Tile(ctx, v, tile, tf)
	if err != nil {
		return nil, fmt.Errorf("app.GetTicketTile: %w", err)
	}
	return mvt, nil
}
