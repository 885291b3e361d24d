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
	// Geometry is the checked area.
	Geometry Area
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

// ParseFeatureCollection checks a decoded FeatureCollection whose features
// are Polygons or MultiPolygons (ParseArea's rules, per feature). The first
// bad feature is reported with its index, e.g.
// "feature_collection.features[12].geometry.coordinates[0]".
func ParseFeatureCollection(raw map[string]any, field string) ([]Feature, error) {
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
	out := make([]Feature, 0, len(items))
	for i, it := range items {
		path := fmt.Sprintf("%s.features[%d]", field, i)
		fm, ok := it.(map[string]any)
		if !ok || fm["type"] != "Feature" {
			return nil, apperr.Invalid(path+".type", "must be Feature")
		}
		g, _ := fm["geometry"].(map[string]any)
		area, err := parseGeometry(g, path+".geometry")
		if err != nil {
			return nil, err
		}
		props, _ := fm["properties"].(map[string]any)
		out = append(out, Feature{Index: i, Properties: props, Geometry: area})
	}
	return out, nil
}
