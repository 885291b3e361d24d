package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/store"
)

// CreateMunicipality stores a new municipality; m.Boundary is checked
// GeoJSON. A code already in use is AlreadyExists.
func (a *App) CreateMunicipality(ctx context.Context, scope pg.Scope, m domain.Municipality) (domain.Municipality, error) {
	var out domain.Municipality
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		a.noteRepair(ctx, tx, m.Code, m.Boundary)
		if _, err := store.UpsertMunicipality(ctx, tx, m, false); err != nil {
			if errors.Is(err, domain.ErrDuplicateCode) {
				return apperr.AlreadyExists(fmt.Sprintf("municipality %s already exists", m.Code))
			}
			return err
		}
		var err error
		out, err = store.GetMunicipality(ctx, tx, m.Code, true)
		return err
	})
	if err != nil {
		return domain.Municipality{}, fmt.Errorf("app.CreateMunicipality: %w", err)
	}
	return out, nil
}

// MunicipalityPatch names the fields UpdateMunicipality changes.
type MunicipalityPatch struct {
	Name, Province, Boundary *string
}

// UpdateMunicipality applies patch to the municipality code.
func (a *App) UpdateMunicipality(ctx context.Context, scope pg.Scope, code string, p MunicipalityPatch) (domain.Municipality, error) {
	var out domain.Municipality
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		cur, err := store.GetMunicipality(ctx, tx, code, false)
		if err != nil {
			return notFound(err, "municipality "+code)
		}
		if p.Name != nil {
			cur.Name = *p.Name
		}
		if p.Province != nil {
			cur.Province = *p.Province
		}
		cur.Boundary = ""
		if p.Boundary != nil {
			cur.Boundary = *p.Boundary
			a.noteRepair(ctx, tx, code, cur.Boundary)
		}
		if err := store.UpdateMunicipality(ctx, tx, cur); err != nil {
			return err
		}
		out, err = store.GetMunicipality(ctx, tx, code, true)
		return err
	})
	if err != nil {
		return domain.Municipality{}, fmt.Errorf("app.UpdateMunicipality: %w", err)
	}
	return out, nil
}

// noteRepair logs that an invalid official boundary is being repaired, so
// the repair (see store.boundaryExpr) is never silent.
func (a *App) noteRepair(ctx context.Context, tx pgx.Tx, code, geoJSON string) {
	reason, err := store.ValidityReason(ctx, tx, geoJSON)
	if err == nil && reason != store.Valid {
		a.log.WarnContext(ctx, "municipality boundary invalid; stored repaired with ST_MakeValid",
			"code", code, "reason", reason)
	}
}

// GetMunicipality returns one municipality with its boundary.
func (a *App) GetMunicipality(ctx context.Context, scope pg.Scope, code string) (domain.Municipality, error) {
	var out domain.Municipality
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.GetMunicipality(ctx, tx, code, true)
		return notFound(err, "municipality "+code)
	})
	if err != nil {
		return domain.Municipality{}, fmt.Errorf("app.GetMunicipality: %w", err)
	}
	return out, nil
}

// ListMunicipalities lists municipalities by code.
func (a *App) ListMunicipalities(ctx context.Context, scope pg.Scope, province string, withBoundary bool, page Page) ([]domain.Municipality, error) {
	var out []domain.Municipality
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.ListMunicipalities(ctx, tx, province, withBoundary, page.Limit, page.Offset)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app.ListMunicipalities: %w", err)
	}
	return out, nil
}

// ResolveJurisdiction returns the municipality containing the point.
func (a *App) ResolveJurisdiction(ctx context.Context, scope pg.Scope, lat, lng float64) (domain.Municipality, error) {
	var out domain.Municipality
	err := a.inTx(ctx, scope, func(tx pgx.Tx) error {
		var err error
		out, err = store.ResolveJurisdiction(ctx, tx, lat, lng)
		return notFound(err, "municipality at this location")
	})
	if err != nil {
		return domain.Municipality{}, fmt.Errorf("app.ResolveJurisdiction: %w", err)
	}
	return out, nil
}

// ImportMunicipalities creates or updates every municipality in one
// transaction: all or nothing.
func (a *App) ImportMunicipalities(ctx context.Context, scope pg.Scope, ms []domain.Municipality) (created, updated int, err error) {
	err = a.inTx(ctx, scope, func(tx pgx.Tx) error {
		created, updated = 0, 0
		for _, m := range ms {
			a.noteRepair(ctx, tx, m.Code, m.Boundary)
			isNew, err := store.UpsertMunicipality(ctx, tx, m, true)
			if err != nil {
				return err
			}
			if isNew {
				created++
			} else {
				updated++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("app.ImportMunicipalities: %w", err)
	}
	return created, updated, nil
}
