package geo

import (
	"fmt"
	"strconv"

	"github.com/salga/trustengine/libs/apperr"
)

// Feature is one checked feature of a FeatureCollection.
type Feature struct {
	// Index is the feature's position in the collection.
	Index int
	// Properties are the feature's properties.
	Properties map[string]any
	// Geometry is the checked area (zero when Err is set).
	Geometry Area
	// Err is why the feature is not a Feature with a Polygon or
	// MultiPolygon (ParseFeatures; ParseFeatureCollection returns it).
	Err error
}

// Property returns a property rendered as text ("" when absent). Numbers
// print without a fraction when they are whole, so WARDNO 7 reads "7".
func (f Feature) Property(name string) string {
	switch v := f.Properties[name].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		return ""
	}
}

// MaxFeatures is the most features one FeatureCollection may hold: the
// country's wards number about 4,300, so a collection far larger is a
// mistake, refused before any feature is read.
const MaxFeatures = 100_000

// ParseFeatureCollection checks a decoded FeatureCollection whose features
// are Polygons or MultiPolygons (ParseArea's rules, per feature). The first
// bad feature is reported with its index, e.g.
// "feature_collection.features[12].geometry.coordinates[0]".
func ParseFeatureCollection(raw map[string]any, field string) ([]Feature, error) {
	features, err := ParseFeatures(raw, field, SRID)
	if err != nil {
		return nil, err
	}
	for _, f := range features {
		if f.Err != nil {
			return nil, f.Err
		}
	}
	return features, nil
}

// ParseFeatures checks a decoded FeatureCollection feature by feature, for
// imports that refuse bad features one by one: a collection that is not
// one (or holds more than MaxFeatures) is the error; a feature that is not
// a Feature with a Polygon or MultiPolygon in srid keeps its apperr
// InvalidArgument in Err, named by its index. Coordinates of srid 4326 must
// be degrees; those of another system are only checked to be numbers.
func ParseFeatures(raw map[string]any, field string, srid int) ([]Feature, error) {
	if raw == nil {
		return nil, apperr.Invalid(field, "is required")
	}
	if raw["type"] != "FeatureCollection" {
		return nil, apperr.Invalid(field+".type", "must be FeatureCollection")
	}
	items, ok := raw["features"].([]any)
	if !ok || len(items) == 0 {
		return nil, apperr.Invalid(field+".features", "must be a non-empty array")
	}
	if len(items) > MaxFeatures {
		return nil, apperr.Invalid(field+".features", fmt.Sprintf("must hold at most %d features (this one has %d); split the import", MaxFeatures, len(items)))
	}
	out := make([]Feature, 0, len(items))
	for i, it := range items {
		path := fmt.Sprintf("%s.features[%d]", field, i)
		fm, ok := it.(map[string]any)
		if !ok || fm["type"] != "Feature" {
			out = append(out, Feature{Index: i, Err: apperr.Invalid(path+".type", "must be Feature")})
			continue
		}
		props, _ := fm["properties"].(map[string]any)
		g, _ := fm["geometry"].(map[string]any)
		area, err := parseGeometry(g, path+".geometry", srid)
		out = append(out, Feature{Index: i, Properties: props, Geometry: area, Err: err})
	}
	return out, nil
}
