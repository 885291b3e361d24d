// Package shp reads the zipped polygon Shapefiles the Municipal
// Demarcation Board publishes: the .shp geometry, the .dbf (dBase)
// attributes and the .prj projection of one layer, as a GeoJSON
// FeatureCollection (decoded, for geo.ParseFeatures) and the EPSG code its
// coordinates are in.
//
// Archives are untrusted: entries are read only up to MaxUncompressed bytes
// in all and a compression ratio of MaxRatio, whatever their headers say,
// so a zip bomb is refused after reading at most that much.
package shp

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// Limits on an archive.
const (
	// MaxUncompressed is the most bytes the layer's files may inflate to
	// together: the national ward layer is about 100 MB.
	MaxUncompressed = 512 << 20
	// MaxRatio is the most an entry may inflate relative to its compressed
	// size; shapefiles compress about 3 to 10 times.
	MaxRatio = 100
)

// ErrZipBomb refuses an archive that inflates beyond the limits.
var ErrZipBomb = fmt.Errorf("the archive inflates beyond %d MB or %d times its compressed size (a zip bomb?)", MaxUncompressed>>20, MaxRatio)

// Layer is a shapefile read from an archive.
type Layer struct {
	// Name is the layer's file name without extension, e.g. "Wards2011".
	Name string
	// Collection is the GeoJSON FeatureCollection of its records.
	Collection map[string]any
	// SRID is the EPSG code its .prj names (0 when it has none).
	SRID int
	// Projection is the .prj text ("" when absent).
	Projection string
}

// ReadZip reads the one polygon layer of a zipped shapefile (.shp, .dbf,
// and .prj if present), or the layer named layer when the archive holds
// several.
func ReadZip(name, layer string) (*Layer, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer zr.Close()
	l, err := readArchive(&zr.Reader, layer)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return l, nil
}

// ReadZipFrom is ReadZip for an archive in memory or another ReaderAt.
func ReadZipFrom(r io.ReaderAt, size int64, layer string) (*Layer, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, err
	}
	return readArchive(zr, layer)
}

func readArchive(zr *zip.Reader, layer string) (*Layer, error) {
	files := map[string]*zip.File{} // by lower-case path
	var shps []string
	for _, f := range zr.File {
		lower := strings.ToLower(f.Name)
		files[lower] = f
		if strings.HasSuffix(lower, ".shp") && !strings.HasPrefix(path.Base(lower), "._") {
			shps = append(shps, f.Name)
		}
	}
	sort.Strings(shps)
	base, err := pickLayer(shps, layer)
	if err != nil {
		return nil, err
	}
	budget := &inflateBudget{left: MaxUncompressed}
	read := func(ext string, required bool) ([]byte, error) {
		f := files[strings.ToLower(base)+ext]
		if f == nil {
			if required {
				return nil, fmt.Errorf("%s%s is missing from the archive", path.Base(base), ext)
			}
			return nil, nil
		}
		return budget.read(f)
	}
	shpData, err := read(".shp", true)
	if err != nil {
		return nil, err
	}
	dbfData, err := read(".dbf", true)
	if err != nil {
		return nil, err
	}
	prjData, err := read(".prj", false)
	if err != nil {
		return nil, err
	}
	records, err := readDBF(dbfData)
	if err != nil {
		return nil, fmt.Errorf("%s.dbf: %w", path.Base(base), err)
	}
	l := &Layer{Name: path.Base(base), Projection: strings.TrimSpace(string(prjData))}
	if prjData != nil {
		if l.SRID, err = SRIDOf(l.Projection); err != nil {
			return nil, fmt.Errorf("%s.prj: %w", path.Base(base), err)
		}
	}
	geoms, err := readShapes(shpData, negatedLo(l.Projection, l.SRID))
	if err != nil {
		return nil, fmt.Errorf("%s.shp: %w", path.Base(base), err)
	}
	if len(records) != len(geoms) {
		return nil, fmt.Errorf("%s: the .shp has %d shapes but the .dbf %d records", path.Base(base), len(geoms), len(records))
	}
	features := make([]any, len(geoms))
	for i, g := range geoms {
		var geometry any // a null shape stays null: the import refuses that feature
		if g != nil {
			geometry = g
		}
		features[i] = map[string]any{"type": "Feature", "properties": records[i], "geometry": geometry}
	}
	l.Collection = map[string]any{"type": "FeatureCollection", "features": features}
	return l, nil
}

// pickLayer returns the archive path of the layer (without .shp).
func pickLayer(shps []string, layer string) (string, error) {
	if len(shps) == 0 {
		return "", errors.New("the archive holds no .shp file")
	}
	if layer == "" {
		if len(shps) > 1 {
			return "", fmt.Errorf("the archive holds %d layers (%s); name one", len(shps), strings.Join(shps, ", "))
		}
		return strings.TrimSuffix(shps[0], path.Ext(shps[0])), nil
	}
	for _, s := range shps {
		b := strings.TrimSuffix(s, path.Ext(s))
		if strings.EqualFold(path.Base(b), layer) {
			return b, nil
		}
	}
	return "", fmt.Errorf("the archive holds no layer %q (it has %s)", layer, strings.Join(shps, ", "))
}

// inflateBudget is what the archive's entries may still inflate to.
type inflateBudget struct{ left int64 }

// read inflates f within the budget and MaxRatio of its compressed size,
// counting the bytes actually read: the sizes in the headers may lie.
func (b *inflateBudget) read(f *zip.File) ([]byte, error) {
	limit := b.left
	if f.Method != zip.Store {
		if r := int64(f.CompressedSize64)*MaxRatio + 1<<16; r < limit {
			limit = r
		}
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, ErrZipBomb
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(data)) > limit {
		return nil, ErrZipBomb
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	b.left -= int64(len(data))
	return data, nil
}
