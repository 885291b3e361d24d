package domain

import (
	"errors"
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// ImportMode says what an import does with an invalid area and with a
// refused feature (the words of routing.v1.ImportMode).
type ImportMode string

// Import modes.
const (
	// ImportRepair makes invalid areas valid in PostGIS and refuses
	// features one by one: official data is taken as it comes.
	ImportRepair ImportMode = "repair"
	// ImportRefuseFeature refuses invalid areas, feature by feature.
	ImportRefuseFeature ImportMode = "refuse_feature"
	// ImportRefuseAll refuses the whole request at the first refused
	// feature; nothing is written.
	ImportRefuseAll ImportMode = "refuse_all"
)

// DefaultMaxAreaChange is the largest change of area (percent) a repair may
// make unless the request says otherwise. The 16 invalid shapes of the MDB
// 2011 municipality and metro ward files change by at most 0.005%: a repair
// that changes an area by more has dropped or invented a part of it.
const DefaultMaxAreaChange = 5.0

// MaxSRID is the largest EPSG code PostGIS keeps in spatial_ref_sys.
const MaxSRID = 998999

// ImportOptions are the choices of an import request, checked and
// defaulted by Check.
type ImportOptions struct {
	Mode ImportMode
	// MaxAreaChange is the limit of a repair's change of area, percent.
	MaxAreaChange float64
	// SRID is the EPSG code of the request's coordinates.
	SRID int
}

// Check defaults and checks the options: the mode defaults to repair, the
// area change limit to DefaultMaxAreaChange, the SRID to 4326.
func (o ImportOptions) Check() (ImportOptions, error) {
	switch o.Mode {
	case "":
		o.Mode = ImportRepair
	case ImportRepair, ImportRefuseFeature, ImportRefuseAll:
	default:
		return o, apperr.Invalid("mode", "must be IMPORT_MODE_REPAIR, IMPORT_MODE_REFUSE_FEATURE or IMPORT_MODE_REFUSE_ALL")
	}
	if !(o.MaxAreaChange >= 0 && o.MaxAreaChange <= 100) {
		return o, apperr.Invalid("max_area_change_percent", "must be between 0 (the default, 5) and 100")
	}
	if o.MaxAreaChange == 0 {
		o.MaxAreaChange = DefaultMaxAreaChange
	}
	if o.SRID < 0 || o.SRID > MaxSRID {
		return o, apperr.Invalid("srid", fmt.Sprintf("must be an EPSG code between 1 and %d (0 means 4326)", MaxSRID))
	}
	if o.SRID == 0 {
		o.SRID = geo.SRID
	}
	return o, nil
}

// srid is the SRID of the coordinates: 4326 unless the options name
// another.
func (o ImportOptions) srid() int {
	if o.SRID == 0 {
		return geo.SRID
	}
	return o.SRID
}

// ImportOutcome is what an import did with one feature.
type ImportOutcome string

// Import outcomes (the words of routing.v1.ImportOutcome).
const (
	OutcomeCreated ImportOutcome = "created"
	OutcomeUpdated ImportOutcome = "updated"
	OutcomeRefused ImportOutcome = "refused"
)

// FeatureReport is what an import did with one feature.
type FeatureReport struct {
	Index   int
	Name    string
	Outcome ImportOutcome
	// Repaired: the area was invalid (InvalidReason) and stored repaired,
	// changing its area by AreaChange percent.
	Repaired      bool
	InvalidReason string
	AreaChange    float64
	// Field and Refusal say why a refused feature was refused.
	Field, Refusal string
}

// ImportReport is the per-feature answer of an import, with its counts.
type ImportReport struct {
	Features                            []FeatureReport
	Created, Updated, Repaired, Refused int
	// first is the first refusal, the answer of a refuse_all import.
	first error
}

// Refuse records feature fr as refused because of err, an apperr
// InvalidArgument whose first violation names the field and the rule.
func (r *ImportReport) Refuse(fr FeatureReport, err error) {
	fr.Outcome = OutcomeRefused
	fr.Field, fr.Refusal = violation(err)
	r.Features = append(r.Features, fr)
	r.Refused++
	if r.first == nil {
		r.first = err
	}
}

// Write records feature fr as written (created when isNew).
func (r *ImportReport) Write(fr FeatureReport, isNew bool) {
	fr.Outcome = OutcomeUpdated
	if isNew {
		fr.Outcome = OutcomeCreated
		r.Created++
	} else {
		r.Updated++
	}
	if fr.Repaired {
		r.Repaired++
	}
	r.Features = append(r.Features, fr)
}

// Verdict is the error a refuse_all import answers with: the first
// refused feature's; nil when none was refused or in another mode.
func (r *ImportReport) Verdict(mode ImportMode) error {
	if mode == ImportRefuseAll {
		return r.first
	}
	return nil
}

// violation returns the field and rule of an apperr InvalidArgument (the
// error's text for anything else).
func violation(err error) (field, rule string) {
	var ae *apperr.Error
	if errors.As(err, &ae) && len(ae.Violations()) > 0 {
		v := ae.Violations()[0]
		return v.Field, v.Rule
	}
	return "", err.Error()
}
