package domain

import (
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// MunicipalityInput is a municipality as a request gives it; Boundary is
// decoded GeoJSON (nil when absent).
type MunicipalityInput struct {
	Code, Name, Province string
	Boundary             map[string]any
}

// Build checks in, whose request field is field ("municipality"; nil when
// the request has none), and returns the municipality with its province
// normalised and its boundary checked (libs/geo).
func (in *MunicipalityInput) Build(field string) (Municipality, error) {
	if in == nil {
		return Municipality{}, apperr.Invalid(field, "is required")
	}
	if err := CheckCode(in.Code, field+".code"); err != nil {
		return Municipality{}, err
	}
	if err := CheckText(in.Name, field+".name", true, MaxName); err != nil {
		return Municipality{}, err
	}
	province, err := ProvinceCode(in.Province, field+".province")
	if err != nil {
		return Municipality{}, err
	}
	area, err := geo.ParseArea(in.Boundary, field+".boundary")
	if err != nil {
		return Municipality{}, err
	}
	return Municipality{Code: in.Code, Name: in.Name, Province: province, Boundary: area.JSON()}, nil
}

// MunicipalityChange is an update of a municipality as a request gives it:
// the code named by the path (PathCode) or the resource, the fields the
// mask names (all three without a mask) and their new values.
type MunicipalityChange struct {
	PathCode string
	Paths    []string
	MunicipalityInput
}

// MunicipalityPatch names the fields an update changes; nil leaves one
// alone.
type MunicipalityPatch struct {
	Code                     string
	Name, Province, Boundary *string
}

// Patch checks the change and returns what it sets.
func (ch MunicipalityChange) Patch() (MunicipalityPatch, error) {
	code, err := apperr.PathID(ch.PathCode, ch.Code, "code", "municipality.code")
	if err != nil {
		return MunicipalityPatch{}, err
	}
	if err := CheckCode(code, "code"); err != nil {
		return MunicipalityPatch{}, err
	}
	p := MunicipalityPatch{Code: code}
	paths := ch.Paths
	if len(paths) == 0 {
		paths = []string{"name", "province", "boundary"}
	}
	for _, path := range paths {
		switch path {
		case "name":
			if err := CheckText(ch.Name, "municipality.name", true, MaxName); err != nil {
				return p, err
			}
			p.Name = &ch.Name
		case "province":
			province, err := ProvinceCode(ch.Province, "municipality.province")
			if err != nil {
				return p, err
			}
			p.Province = &province
		case "boundary":
			area, err := geo.ParseArea(ch.Boundary, "municipality.boundary")
			if err != nil {
				return p, err
			}
			text := area.JSON()
			p.Boundary = &text
		default:
			return p, apperr.Invalid("update_mask", fmt.Sprintf("path %q is not one of name, province, boundary", path))
		}
	}
	return p, nil
}

// Apply returns m with the patch applied; the boundary is "" unless the
// patch replaces it (the store keeps the stored one then).
func (p MunicipalityPatch) Apply(m Municipality) Municipality {
	apply(&m.Name, p.Name)
	apply(&m.Province, p.Province)
	m.Boundary = ""
	apply(&m.Boundary, p.Boundary)
	return m
}

// MunicipalityImport is a bulk import of official boundaries: a
// FeatureCollection whose features name their municipality in properties.
type MunicipalityImport struct {
	FeatureCollection                            map[string]any
	CodeProperty, NameProperty, ProvinceProperty string
	// Options are the import's mode, area change limit and SRID, checked
	// (ImportOptions.Check) before Municipalities reads the features.
	Options ImportOptions
}

// ImportedMunicipality is one feature of an import: the municipality it
// creates or replaces, where the feature is, and why it cannot be
// imported (Err, an apperr InvalidArgument naming the feature), if so.
type ImportedMunicipality struct {
	Municipality
	Index int
	Path  string
	Err   error
}

// Municipalities checks every feature of the import and returns the
// municipalities it describes; a feature that breaks a rule (no code, a
// code another feature has, not a polygon) keeps the reason in Err. The
// properties default to those of the MDB data (CAT_B, MUNICNAME, PROVINCE).
func (in MunicipalityImport) Municipalities() ([]ImportedMunicipality, error) {
	codeProp := or(in.CodeProperty, "CAT_B")
	nameProp := or(in.NameProperty, "MUNICNAME")
	provProp := or(in.ProvinceProperty, "PROVINCE")
	features, err := geo.ParseFeatures(in.FeatureCollection, "feature_collection", in.Options.srid())
	if err != nil {
		return nil, err
	}
	ms := make([]ImportedMunicipality, 0, len(features))
	seen := map[string]int{}
	for _, f := range features {
		path := fmt.Sprintf("feature_collection.features[%d]", f.Index)
		code := f.Property(codeProp)
		m := ImportedMunicipality{Index: f.Index, Path: path, Err: f.Err, Municipality: Municipality{Code: code}}
		if m.Err == nil {
			m.Municipality, m.Err = municipalityOf(f, path+".properties.", codeProp, nameProp, provProp)
		}
		if prev, dup := seen[code]; dup && m.Err == nil {
			m.Err = apperr.Invalid(path+".properties."+codeProp, fmt.Sprintf("names municipality %s already named by feature %d", code, prev))
		}
		if m.Err == nil {
			seen[code] = f.Index
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// municipalityOf reads the municipality of feature f, whose properties are
// at path.
func municipalityOf(f geo.Feature, path, codeProp, nameProp, provProp string) (Municipality, error) {
	code := f.Property(codeProp)
	if code == "" {
		return Municipality{Code: code}, apperr.Invalid(path+codeProp, "is required: the municipality's MDB code (code_property)")
	}
	if err := CheckCode(code, path+codeProp); err != nil {
		return Municipality{Code: code}, err
	}
	name := f.Property(nameProp)
	if err := CheckText(name, path+nameProp, true, MaxName); err != nil {
		return Municipality{Code: code}, err
	}
	province, err := ProvinceCode(f.Property(provProp), path+provProp)
	if err != nil {
		return Municipality{Code: code}, err
	}
	return Municipality{Code: code, Name: name, Province: province, Boundary: f.Geometry.JSON()}, nil
}

// CheckWorldLocation refuses a position that is missing, not finite or out
// of range; a point outside South Africa is allowed (a jurisdiction
// look-up answers NotFound for it).
func CheckWorldLocation(p *Point, field string) error { return checkLocation(p, field, false) }
