package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/libs/geo/shp"
)

// boundaryFile is a boundary file read for an import.
type boundaryFile struct {
	features []any
	// srid is the EPSG code the file says its coordinates are in (a
	// shapefile's .prj), 0 when it says nothing.
	srid int
	// projection is the .prj text, for the progress line.
	projection string
}

// readBoundaries reads a GeoJSON FeatureCollection (.geojson, .json, and
// either gzip-compressed as .gz) or a zipped Shapefile (.zip; layer names
// one of several), within libs/geo's limits.
func readBoundaries(path, layer string) (boundaryFile, error) {
	name := strings.ToLower(filepath.Base(path))
	switch {
	case strings.HasSuffix(name, ".zip"):
		l, err := shp.ReadZip(path, layer)
		if err != nil {
			return boundaryFile{}, err
		}
		return boundaryFile{features: l.Collection["features"].([]any), srid: l.SRID, projection: l.Projection}, nil
	case strings.HasSuffix(name, ".geojson"), strings.HasSuffix(name, ".json"),
		strings.HasSuffix(name, ".geojson.gz"), strings.HasSuffix(name, ".json.gz"):
		fc, err := geo.ReadCollectionFile(path)
		if err != nil {
			return boundaryFile{}, err
		}
		features, _ := fc["features"].([]any)
		if len(features) == 0 {
			return boundaryFile{}, fmt.Errorf("%s: the FeatureCollection has no features", path)
		}
		return boundaryFile{features: features}, nil
	}
	return boundaryFile{}, fmt.Errorf("%s: not a boundary file trustctl reads (.geojson, .json, .geojson.gz or a zipped Shapefile .zip)", path)
}

// sridFor is the SRID to send: the -srid flag when set, else the file's,
// else 4326 (said on errOut when a shapefile names none).
func sridFor(flagSRID int, f boundaryFile, path string, errOut io.Writer) int {
	switch {
	case flagSRID != 0:
		if f.srid != 0 && f.srid != flagSRID {
			fmt.Fprintf(errOut, "trustctl: %s: the .prj names EPSG:%d; sending EPSG:%d as -srid says\n", path, f.srid, flagSRID)
		}
		return flagSRID
	case f.srid != 0:
		return f.srid
	}
	if strings.HasSuffix(strings.ToLower(path), ".zip") {
		fmt.Fprintf(errOut, "trustctl: %s has no .prj: its coordinates are taken as WGS 84 (EPSG:4326); -srid names another\n", path)
	}
	return geo.SRID
}
