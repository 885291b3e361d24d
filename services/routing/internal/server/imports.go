package server

import (
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// importOptionsIn maps the choices of an import request; the use case
// checks and defaults them (domain.ImportOptions.Check).
func importOptionsIn(mode routingv1.ImportMode, maxChange float64, srid int32) (domain.ImportOptions, error) {
	w, err := vocab.Field(mode, "mode", "must be IMPORT_MODE_REPAIR, IMPORT_MODE_REFUSE_FEATURE or IMPORT_MODE_REFUSE_ALL")
	if err != nil {
		return domain.ImportOptions{}, err
	}
	return domain.ImportOptions{Mode: domain.ImportMode(w), MaxAreaChange: maxChange, SRID: int(srid)}, nil
}

// featuresOut maps an import's report of every feature.
func featuresOut(r domain.ImportReport) []*routingv1.ImportFeatureReport {
	out := make([]*routingv1.ImportFeatureReport, 0, len(r.Features))
	for _, f := range r.Features {
		outcome, _ := vocab.Parse[routingv1.ImportOutcome](string(f.Outcome))
		out = append(out, &routingv1.ImportFeatureReport{Index: int32(f.Index), Name: f.Name, Outcome: outcome,
			Repaired: f.Repaired, InvalidReason: f.InvalidReason, AreaChangePercent: f.AreaChange,
			Field: f.Field, Refusal: f.Refusal})
	}
	return out
}
