package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ListMunicipalities returns a page of municipalities by code, to any
// authenticated caller, and the token of the next page ("" on the last).
func (a *App) ListMunicipalities(ctx context.Context, l domain.MunicipalityList) ([]domain.Municipality, string, error) {
	c, err := access.Check(ctx, access.Anyone)
	if err != nil {
		return nil, "", err
	}
	province, page, err := l.Resolve()
	if err != nil {
		return nil, "", err
	}
	var ms []domain.Municipality
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		ms, err = a.store.ListMunicipalities(ctx, tx, province, l.IncludeBoundary, page)
		return err
	})
	if err != nil {
		return nil, "", wrap("ListMunicipalities", err)
	}
	ms, next := domain.NextPage(ms, page)
	return ms, next, nil
}
