package e2e

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/geojson"
	"github.com/twpayne/go-geom/xy"
	"github.com/twpayne/go-geom/xy/location"
)

// mdbWard is one feature of the MDB 2011 ward layer, kept both as the raw
// GeoJSON the routing service imports and as polygons for the independent
// point-in-polygon check.
type mdbWard struct {
	Code     string          // WARD, the 8-digit ward id
	Raw      json.RawMessage // the feature, as in the file
	Geometry json.RawMessage // its geometry, for the validity check
	polys    []*geom.Polygon
	bounds   *geom.Bounds
}

// benchDataDir is the shared real-data folder: TRUSTENGINE_DATA_DIR, else
// ../shared/data next to the repository.
func benchDataDir() string {
	if d := os.Getenv("TRUSTENGINE_DATA_DIR"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(benchRepoRoot()), "shared", "data")
}

// loadWards reads Wards2011.geojson.
func loadWards(path string) ([]*mdbWard, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loadWards: %w", err)
	}
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("loadWards: %w", err)
	}
	out := make([]*mdbWard, 0, len(fc.Features))
	for i, f := range fc.Features {
		var feat struct {
			Properties struct {
				Ward string `json:"WARD"`
			} `json:"properties"`
			Geometry json.RawMessage `json:"geometry"`
		}
		if err := json.Unmarshal(f, &feat); err != nil {
			return nil, fmt.Errorf("loadWards: feature %d: %w", i, err)
		}
		var g geom.T
		if err := geojson.Unmarshal(feat.Geometry, &g); err != nil {
			return nil, fmt.Errorf("loadWards: feature %d geometry: %w", i, err)
		}
		w := &mdbWard{Code: feat.Properties.Ward, Raw: f, Geometry: feat.Geometry, bounds: g.Bounds()}
		switch g := g.(type) {
		case *geom.Polygon:
			w.polys = []*geom.Polygon{g}
		case *geom.MultiPolygon:
			for j := range g.NumPolygons() {
				w.polys = append(w.polys, g.Polygon(j))
			}
		default:
			return nil, fmt.Errorf("loadWards: feature %d: unexpected %T", i, g)
		}
		out = append(out, w)
	}
	return out, nil
}

// covers reports whether the ward's area contains p or has it on its
// border, the same rule as the routing service's ST_Covers: inside or on an
// outer ring and not strictly inside a hole.
func (w *mdbWard) covers(p geom.Coord) bool {
	if !w.bounds.OverlapsPoint(geom.XY, p) {
		return false
	}
	for _, poly := range w.polys {
		if !xy.IsPointInRing(geom.XY, p, poly.LinearRing(0).FlatCoords()) {
			continue
		}
		inHole := false
		for k := 1; k < poly.NumLinearRings(); k++ {
			if xy.LocatePointInRing(geom.XY, p, poly.LinearRing(k).FlatCoords()) == location.Interior {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

// samplePoints draws n points inside the given wards: a ward chosen
// uniformly (so, like tickets, points crowd where wards are small and people
// many), then a uniform point of its bounding box until one falls inside it.
// The seed is fixed so every run routes the same points.
func samplePoints(wards []*mdbWard, n int) []geom.Coord {
	rng := rand.New(rand.NewPCG(2011, 4277))
	out := make([]geom.Coord, 0, n)
	for len(out) < n {
		w := wards[rng.IntN(len(wards))]
		for {
			p := geom.Coord{
				w.bounds.Min(0) + rng.Float64()*(w.bounds.Max(0)-w.bounds.Min(0)),
				w.bounds.Min(1) + rng.Float64()*(w.bounds.Max(1)-w.bounds.Min(1)),
			}
			if w.covers(p) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// coveringWards returns the codes of every ward covering p (more than one
// only where the simplified layer overlaps itself).
func coveringWards(wards []*mdbWard, p geom.Coord) []string {
	var codes []string
	for _, w := range wards {
		if w.covers(p) {
			codes = append(codes, w.Code)
		}
	}
	return codes
}
