package domain

import (
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/libs/vocab/word"
)

// Defaults of a boundary set import: the properties of the Municipal
// Demarcation Board's ward layers.
const (
	DefaultWardCodeProperty  = "WARD"
	DefaultWardLabelProperty = "WARDNO"
	// MaxMergedFrom bounds the municipalities one set may absorb.
	MaxMergedFrom = 10
	// MaxSourceLength bounds a set's source text.
	MaxSourceLength = 200
	// MaxWardCode bounds a ward code or label.
	MaxWardCode = 32
)

// earliestEffective is the first date a boundary set may come into force:
// the Municipal Demarcation Board's first wards date from 2000.
var earliestEffective = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// BoundarySetImport is a new version of a municipality's ward boundaries
// (RoutingService.ImportBoundarySet).
type BoundarySetImport struct {
	Tenant            string
	EffectiveAt       time.Time
	FeatureCollection map[string]any
	CodeProperty      string
	LabelProperty     string
	Source            string
	MergedFrom        []string
	// TeamCategory, when set, builds a team of the category for each ward
	// without one, named TeamNamePrefix and the ward's label.
	TeamCategory   Category
	TeamNamePrefix string
}

// Ward is one ward of a boundary set as imported.
type Ward struct {
	Code  string
	Label string
	// Area is the GeoJSON geometry as given.
	Area string
	// Path is the feature's field path, for errors.
	Path string
}

// Wards checks the import, the first bad feature named by its index, and
// returns its wards: each with a code no other has, a label (the code when
// the label property is missing) and a checked geometry. tenant is the
// municipality the use case resolved.
func (in *BoundarySetImport) Wards(tenant string) ([]Ward, error) {
	if in.EffectiveAt.IsZero() {
		return nil, apperr.Invalid("effective_time", "is required")
	}
	if in.EffectiveAt.Before(earliestEffective) {
		return nil, apperr.Invalid("effective_time", "must be on or after 2000-01-01, when the first wards were drawn")
	}
	if in.CodeProperty == "" {
		in.CodeProperty = DefaultWardCodeProperty
	}
	if in.LabelProperty == "" {
		in.LabelProperty = DefaultWardLabelProperty
	}
	if err := CheckText(in.Source, "source", false, MaxSourceLength); err != nil {
		return nil, err
	}
	if err := in.checkMerged(tenant); err != nil {
		return nil, err
	}
	if in.TeamCategory == word.CategoryGBV {
		return nil, apperr.Invalid("team_category", "must not be CATEGORY_GBV: GBV tickets go only to SAPS liaison teams")
	}
	if err := CheckText(in.TeamNamePrefix, "team_name_prefix", false, MaxNamePrefix); err != nil {
		return nil, err
	}
	features, err := geo.ParseFeatureCollection(in.FeatureCollection, "feature_collection")
	if err != nil {
		return nil, err
	}
	out := make([]Ward, 0, len(features))
	seen := map[string]int{}
	for _, f := range features {
		path := fmt.Sprintf("feature_collection.features[%d]", f.Index)
		code := f.Property(in.CodeProperty)
		if err := CheckText(code, path+".properties."+in.CodeProperty, true, MaxWardCode); err != nil {
			return nil, err
		}
		if prev, dup := seen[code]; dup {
			return nil, apperr.Invalid(path+".properties."+in.CodeProperty,
				fmt.Sprintf("ward code %q is already feature %d's", code, prev))
		}
		seen[code] = f.Index
		label := f.Property(in.LabelProperty)
		if label == "" {
			label = code
		}
		if err := CheckText(label, path+".properties."+in.LabelProperty, true, MaxWardCode); err != nil {
			return nil, err
		}
		out = append(out, Ward{Code: code, Label: label, Area: f.Geometry.JSON(), Path: path})
	}
	return out, nil
}

func (in *BoundarySetImport) checkMerged(tenant string) error {
	if len(in.MergedFrom) > MaxMergedFrom {
		return apperr.Invalid("merged_from", fmt.Sprintf("must name at most %d municipalities", MaxMergedFrom))
	}
	seen := map[string]bool{}
	for i, code := range in.MergedFrom {
		field := fmt.Sprintf("merged_from[%d]", i)
		if err := CheckCode(code, field); err != nil {
			return err
		}
		if code == tenant {
			return apperr.Invalid(field, "must be another municipality than the one the set is for")
		}
		if seen[code] {
			return apperr.Invalid(field, "names "+code+" twice")
		}
		seen[code] = true
	}
	return nil
}

// BoundarySet is one version of a municipality's wards.
type BoundarySet struct {
	ID             string
	Tenant         string
	Version        int
	EffectiveAt    time.Time
	AppliedAt      *time.Time
	Source         string
	MergedFrom     []string
	WardCount      int
	Report         BoundaryReport
	CreatedAt      time.Time
	TeamCategory   Category
	TeamNamePrefix string
}

// BoundaryReport compares a set with those it replaces (stored as JSON
// with the set).
type BoundaryReport struct {
	PreviousVersion int                  `json:"previous_version"`
	Added           []WardChange         `json:"added"`
	Removed         []WardChange         `json:"removed"`
	Changed         []WardChange         `json:"changed"`
	Unchanged       int                  `json:"unchanged"`
	Repaired        []RepairedWard       `json:"repaired"`
	Merged          []MergedMunicipality `json:"merged"`
	Teams           BoundaryTeams        `json:"teams"`
}

// WardChange is a ward added, removed or changed.
type WardChange struct {
	Code               string  `json:"code"`
	Label              string  `json:"label"`
	Municipality       string  `json:"municipality"`
	OldAreaSqKm        float64 `json:"old_area_sq_km"`
	NewAreaSqKm        float64 `json:"new_area_sq_km"`
	AreaChangePercent  float64 `json:"area_change_percent"`
	ShapeChangePercent float64 `json:"shape_change_percent"`
}

// RepairedWard is a ward stored repaired, with PostGIS's reason.
type RepairedWard struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// MergedMunicipality is a municipality a set absorbs, as its last set had it.
type MergedMunicipality struct {
	Code      string  `json:"code"`
	Version   int     `json:"version"`
	WardCount int     `json:"ward_count"`
	AreaSqKm  float64 `json:"area_sq_km"`
}

// BoundaryTeams is what a set does to teams built from wards.
type BoundaryTeams struct {
	Applied   bool          `json:"applied"`
	Following int           `json:"following"`
	Created   int           `json:"created"`
	Adopted   int           `json:"adopted"`
	Retired   []RetiredTeam `json:"retired"`
	// Unbuilt are the codes of wards left without a team: the name a
	// built team would take belongs to a team of another ward.
	Unbuilt []string `json:"unbuilt_wards"`
}

// RetiredTeam is a team whose ward code a set no longer has.
type RetiredTeam struct {
	ID       string `json:"team_id"`
	Name     string `json:"team_name"`
	Tenant   string `json:"tenant"`
	WardCode string `json:"ward_code"`
}

// WardPair is a ward code as the replaced sets and the new set have it
// (an empty side: the code is not in that set).
type WardPair struct {
	Code, Label, Municipality string
	InOld, InNew              bool
	OldAreaSqKm, NewAreaSqKm  float64
	SameShape                 bool
	// SymDiffSqKm is the area of the symmetric difference of the shapes.
	SymDiffSqKm float64
}

// Classify files the ward pairs of a comparison into the report's added,
// removed, changed and unchanged wards.
func (r *BoundaryReport) Classify(pairs []WardPair) {
	for _, p := range pairs {
		c := WardChange{Code: p.Code, Label: p.Label, Municipality: p.Municipality,
			OldAreaSqKm: p.OldAreaSqKm, NewAreaSqKm: p.NewAreaSqKm}
		switch {
		case p.InNew && !p.InOld:
			r.Added = append(r.Added, c)
		case p.InOld && !p.InNew:
			r.Removed = append(r.Removed, c)
		case p.SameShape:
			r.Unchanged++
		default:
			if p.OldAreaSqKm > 0 {
				c.AreaChangePercent = 100 * (p.NewAreaSqKm - p.OldAreaSqKm) / p.OldAreaSqKm
				c.ShapeChangePercent = 100 * p.SymDiffSqKm / p.OldAreaSqKm
			}
			r.Changed = append(r.Changed, c)
		}
	}
}

// BoundarySetList asks for a municipality's boundary sets.
type BoundarySetList struct {
	Tenant string
}
