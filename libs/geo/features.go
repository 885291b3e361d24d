package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/geojson"
)

// Feature is one GeoJSON feature of a FeatureCollection.
type Feature struct {
	// Properties are the feature's attributes as decoded by encoding/json.
	Properties map[string]any
	// Geometry is the decoded geometry with SRID 4326, or nil for a null geometry.
	Geometry geom.T
}

type rawFeature struct {
	Properties map[string]any    `json:"properties"`
	Geometry   *geojson.Geometry `json:"geometry"`
}

// ParseFeatureCollection reads a GeoJSON FeatureCollection (such as the Municipal
// Demarcation Board ward files), decoding one feature at a time so the raw text is
// never held in memory as a whole. It is meant for trusted seed data and applies
// none of ParseArea's limits.
func ParseFeatureCollection(r io.Reader) ([]Feature, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, fmt.Errorf("geo.ParseFeatureCollection: %w", err)
	}
	var features []Feature
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("geo.ParseFeatureCollection: %w", err)
		}
		if key, _ := tok.(string); key != "features" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("geo.ParseFeatureCollection: %w", err)
			}
			continue
		}
		if features, err = decodeFeatures(dec); err != nil {
			return nil, fmt.Errorf("geo.ParseFeatureCollection: %w", err)
		}
	}
	if features == nil {
		return nil, errors.New("geo.ParseFeatureCollection: no features array")
	}
	return features, nil
}

func decodeFeatures(dec *json.Decoder) ([]Feature, error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	features := []Feature{}
	for i := 0; dec.More(); i++ {
		var rf rawFeature
		if err := dec.Decode(&rf); err != nil {
			return nil, fmt.Errorf("feature %d: %w", i, err)
		}
		g, err := rf.Geometry.Decode()
		if err != nil {
			return nil, fmt.Errorf("feature %d: geometry: %w", i, err)
		}
		features = append(features, Feature{Properties: rf.Properties, Geometry: withSRID(g)})
	}
	return features, expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, got %v", want, tok)
	}
	return nil
}

// withSRID stamps SRID 4326 on the geometry types GeoJSON produces.
func withSRID(g geom.T) geom.T {
	switch t := g.(type) {
	case *geom.Point:
		return t.SetSRID(SRID)
	case *geom.LineString:
		return t.SetSRID(SRID)
	case *geom.Polygon:
		return t.SetSRID(SRID)
	case *geom.MultiPoint:
		return t.SetSRID(SRID)
	case *geom.MultiLineString:
		return t.SetSRID(SRID)
	case *geom.MultiPolygon:
		return t.SetSRID(SRID)
	case *geom.GeometryCollection:
		return t.SetSRID(SRID)
	}
	return g
}
