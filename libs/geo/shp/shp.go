package shp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/salga/trustengine/libs/geo"
)

// Shape types of the .shp format that hold polygons (ESRI Shapefile
// Technical Description, 1998); Z and M variants carry extra arrays after
// the points, which are ignored (areas are flat).
const (
	typeNull     = 0
	typePolygon  = 5
	typePolygonZ = 15
	typePolygonM = 25
)

// readShapes decodes the records of a .shp file into GeoJSON
// MultiPolygon geometries (nil for a null shape); flip negates both
// coordinates (ESRI's Lo grids, see negatedLo).
func readShapes(data []byte, flip bool) ([]map[string]any, error) {
	if len(data) < 100 || binary.BigEndian.Uint32(data[0:4]) != 9994 {
		return nil, errors.New("not a shapefile (no 9994 file code)")
	}
	switch t := binary.LittleEndian.Uint32(data[32:36]); t {
	case typeNull, typePolygon, typePolygonZ, typePolygonM:
	default:
		return nil, fmt.Errorf("shape type %d is not a polygon layer", t)
	}
	var out []map[string]any
	for off := 100; off < len(data); {
		if off+8 > len(data) {
			return nil, fmt.Errorf("record %d: truncated header", len(out)+1)
		}
		n := int(binary.BigEndian.Uint32(data[off+4:off+8])) * 2
		if n < 4 || off+8+n > len(data) {
			return nil, fmt.Errorf("record %d: content of %d bytes runs past the file", len(out)+1, n)
		}
		g, err := polygon(data[off+8:off+8+n], flip)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", len(out)+1, err)
		}
		out = append(out, g)
		off += 8 + n
	}
	return out, nil
}

// polygon decodes one record's content: a GeoJSON MultiPolygon whose
// polygons are the outer rings with the holes each contains.
func polygon(c []byte, flip bool) (map[string]any, error) {
	le := binary.LittleEndian
	switch t := le.Uint32(c[0:4]); t {
	case typeNull:
		return nil, nil
	case typePolygon, typePolygonZ, typePolygonM:
	default:
		return nil, fmt.Errorf("shape type %d is not a polygon", t)
	}
	if len(c) < 44 {
		return nil, errors.New("truncated polygon")
	}
	parts, points := int(le.Uint32(c[36:40])), int(le.Uint32(c[40:44]))
	if parts < 1 || points < parts || points > geo.MaxAreaVertices || parts > geo.MaxAreaRings {
		return nil, fmt.Errorf("%d parts and %d points: at most %d rings and %d positions", parts, points, geo.MaxAreaRings, geo.MaxAreaVertices)
	}
	pts := 44 + 4*parts
	if len(c) < pts+16*points {
		return nil, errors.New("truncated polygon points")
	}
	rings := make([][][2]float64, parts)
	for i := range parts {
		start := int(le.Uint32(c[44+4*i:]))
		end := points
		if i+1 < parts {
			end = int(le.Uint32(c[44+4*(i+1):]))
		}
		if start < 0 || end > points || start >= end {
			return nil, fmt.Errorf("part %d spans points %d..%d of %d", i, start, end, points)
		}
		ring := make([][2]float64, 0, end-start)
		for p := start; p < end; p++ {
			o := pts + 16*p
			x, y := math.Float64frombits(le.Uint64(c[o:])), math.Float64frombits(le.Uint64(c[o+8:]))
			if flip {
				x, y = -x, -y
			}
			ring = append(ring, [2]float64{x, y})
		}
		rings[i] = ring
	}
	return multiPolygon(rings), nil
}

// multiPolygon nests rings by containment, not by their winding (which a
// south-oriented system such as the Lo grids can turn around): a ring
// inside an even number of others is an outer ring, one inside an odd
// number a hole of the innermost outer ring around it.
func multiPolygon(rings [][][2]float64) map[string]any {
	vertices := make([]map[[2]float64]bool, len(rings))
	for i, r := range rings {
		vertices[i] = make(map[[2]float64]bool, len(r))
		for _, p := range r {
			vertices[i][p] = true
		}
	}
	// inside tests a vertex of ring i that is not one of ring j's: a ring
	// touching another at a vertex (an island at a corner) is not inside it.
	inside := func(i, j int) bool {
		for _, p := range rings[i] {
			if !vertices[j][p] {
				return contains(rings[j], p)
			}
		}
		return false
	}
	depth := make([]int, len(rings))
	for i := range rings {
		for j := range rings {
			if i != j && inside(i, j) {
				depth[i]++
			}
		}
	}
	var polys [][]any
	owner := map[int]int{} // outer ring index -> polygon index
	for i, r := range rings {
		if depth[i]%2 == 0 {
			owner[i] = len(polys)
			polys = append(polys, []any{coords(r)})
		}
	}
	for i, r := range rings {
		if depth[i]%2 == 0 {
			continue
		}
		best := -1
		for j := range rings {
			if depth[j]%2 == 0 && depth[j] == depth[i]-1 && inside(i, j) {
				best = j
			}
		}
		if best < 0 { // not inside any outer ring after all: keep it as one
			polys = append(polys, []any{coords(r)})
			continue
		}
		polys[owner[best]] = append(polys[owner[best]], coords(r))
	}
	mp := make([]any, len(polys))
	for i, p := range polys {
		mp[i] = p
	}
	return map[string]any{"type": "MultiPolygon", "coordinates": mp}
}

// contains reports whether point p lies inside ring (even-odd rule).
func contains(ring [][2]float64, p [2]float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

func coords(ring [][2]float64) []any {
	out := make([]any, len(ring))
	for i, p := range ring {
		out[i] = []any{p[0], p[1]}
	}
	return out
}
