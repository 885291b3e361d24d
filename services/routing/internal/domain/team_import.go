package domain

import (
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// TeamImport is a bulk import of team areas, one team per feature of a
// FeatureCollection, named by a property of the feature.
type TeamImport struct {
	Tenant            string
	Category          Category
	IsSAPS            bool
	NameProperty      string
	NamePrefix        string
	FeatureCollection map[string]any
}

// ImportedTeam is one feature of an import: the team it creates or
// replaces, and where the feature is in the request.
type ImportedTeam struct {
	Team
	// Path is the feature's field path, e.g. feature_collection.features[3].
	Path string
}

// Teams checks the import, the first bad feature named by its index, and
// returns the teams of its features in tenant (resolved by the use case):
// each named by its property with the prefix, no two alike, with a checked
// area.
func (in TeamImport) Teams(tenant string) ([]ImportedTeam, error) {
	if err := checkCategory(in.Category, "category"); err != nil {
		return nil, err
	}
	if in.NameProperty == "" {
		return nil, apperr.Invalid("name_property", "is required")
	}
	if err := CheckText(in.NamePrefix, "name_prefix", false, MaxNamePrefix); err != nil {
		return nil, err
	}
	features, err := geo.ParseFeatureCollection(in.FeatureCollection, "feature_collection")
	if err != nil {
		return nil, err
	}
	out := make([]ImportedTeam, 0, len(features))
	seen := map[string]int{}
	for _, f := range features {
		path := fmt.Sprintf("feature_collection.features[%d]", f.Index)
		value := f.Property(in.NameProperty)
		if value == "" {
			return nil, apperr.Invalid(path+".properties."+in.NameProperty, "is required to name the team")
		}
		name := in.NamePrefix + value
		if prev, dup := seen[name]; dup {
			return nil, apperr.Invalid(path+".properties."+in.NameProperty,
				fmt.Sprintf("names team %q already named by feature %d", name, prev))
		}
		seen[name] = f.Index
		out = append(out, ImportedTeam{Path: path, Team: Team{Tenant: tenant, Name: name, Category: in.Category,
			IsSAPS: in.IsSAPS, ServiceArea: f.Geometry.JSON()}})
	}
	return out, nil
}
