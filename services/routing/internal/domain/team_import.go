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
	// Options are the import's mode, area change limit and SRID, checked
	// (ImportOptions.Check) before Teams reads the features.
	Options ImportOptions
}

// ImportedTeam is one feature of an import: the team it creates or
// replaces, and where the feature is in the request.
type ImportedTeam struct {
	Team
	// Index is the feature's position in the collection.
	Index int
	// Path is the feature's field path, e.g. feature_collection.features[3].
	Path string
	// Err is why the feature cannot be imported (not a polygon, no name,
	// a name another feature took): an apperr InvalidArgument naming it.
	Err error
}

// Teams checks the import and returns the teams of its features in tenant
// (resolved by the use case): each named by its property with the prefix,
// no two alike, with a checked area in Options.SRID. A feature that breaks
// a rule keeps the reason in Err; the request itself (category, name
// property, the collection) is the error.
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
	features, err := geo.ParseFeatures(in.FeatureCollection, "feature_collection", in.Options.srid())
	if err != nil {
		return nil, err
	}
	out := make([]ImportedTeam, 0, len(features))
	seen := map[string]int{}
	for _, f := range features {
		path := fmt.Sprintf("feature_collection.features[%d]", f.Index)
		value := f.Property(in.NameProperty)
		name := ""
		if value != "" {
			name = in.NamePrefix + value
		}
		t := ImportedTeam{Index: f.Index, Path: path, Err: f.Err, Team: Team{Tenant: tenant, Name: name,
			Category: in.Category, IsSAPS: in.IsSAPS}}
		prev, dup := seen[name]
		switch {
		case t.Err != nil:
		case value == "":
			t.Err = apperr.Invalid(path+".properties."+in.NameProperty, "is required to name the team")
		case textRule(name, true, MaxName) != "":
			t.Err = apperr.Invalid(path+".properties."+in.NameProperty, "names the team: "+textRule(name, true, MaxName))
		case dup:
			t.Err = apperr.Invalid(path+".properties."+in.NameProperty,
				fmt.Sprintf("names team %q already named by feature %d", name, prev))
		default:
			seen[name] = f.Index
			t.ServiceArea = f.Geometry.JSON()
		}
		out = append(out, t)
	}
	return out, nil
}
