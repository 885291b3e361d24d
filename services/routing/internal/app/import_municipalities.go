package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// ImportMunicipalities creates or updates every municipality of an import
// of official boundaries, for platform admins, in one transaction, and
// reports what it did with each feature. An invalid boundary is repaired
// in the default mode (and refused in the others); a feature that cannot
// be imported is refused alone, or refuses the whole import in
// refuse_all mode, which then writes nothing.
func (a *App) ImportMunicipalities(ctx context.Context, in domain.MunicipalityImport) (domain.ImportReport, error) {
	c, err := access.Check(ctx, access.Caller.RequirePlatformAdmin)
	if err != nil {
		return domain.ImportReport{}, err
	}
	if in.Options, err = in.Options.Check(); err != nil {
		return domain.ImportReport{}, err
	}
	ms, err := in.Municipalities()
	if err != nil {
		return domain.ImportReport{}, err
	}
	var report domain.ImportReport
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		report = domain.ImportReport{}
		if err := a.checkSRID(ctx, tx, in.Options.SRID); err != nil {
			return err
		}
		for _, m := range ms {
			fr := domain.FeatureReport{Index: m.Index, Name: m.Code}
			err := m.Err
			if err == nil {
				m.Boundary, err = a.judgeArea(ctx, tx, m.Boundary, m.Path+".geometry", in.Options, &fr)
			}
			if err != nil {
				if !isRefusal(err) {
					return err
				}
				report.Refuse(fr, err)
				if v := report.Verdict(in.Options.Mode); v != nil {
					return v
				}
				continue
			}
			isNew, err := a.store.UpsertMunicipality(ctx, tx, m.Municipality, true)
			if err != nil {
				return err
			}
			report.Write(fr, isNew)
		}
		return nil
	})
	if err != nil {
		return domain.ImportReport{}, wrap("ImportMunicipalities", err)
	}
	return report, nil
}
