package shp_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/geo/shp"
	"github.com/salga/trustengine/libs/geo/shp/shptest"
)

// EPSG's own WKT of Hartebeesthoek94 / Lo19 (south-orientated), and ESRI's
// of the same grid (ordinary Transverse Mercator, negative coordinates).
const (
	epsgLo19   = `PROJCS["Hartebeesthoek94 / Lo19",GEOGCS["Hartebeesthoek94",DATUM["Hartebeesthoek94",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6148"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4148"]],PROJECTION["Transverse_Mercator_South_Orientated"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",19],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Westing",WEST],AXIS["Southing",SOUTH],AUTHORITY["EPSG","2048"]]`
	esriLo19   = `PROJCS["Hartebeesthoek94_Lo19",GEOGCS["GCS_Hartebeesthoek_1994",DATUM["D_Hartebeesthoek_1994",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",19.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
	esriUTM34S = `PROJCS["WGS_1984_UTM_Zone_34S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",21.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
	esriWGS84  = `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
)

func box(x0, y0, x1, y1 float64) [][2]float64 {
	return [][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func zipped(t *testing.T, l shptest.Layer) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, shptest.WriteZip(&b, l))
	return b.Bytes()
}

func read(t *testing.T, data []byte, layer string) (*shp.Layer, error) {
	t.Helper()
	return shp.ReadZipFrom(bytes.NewReader(data), int64(len(data)), layer)
}

var wardFields = []shptest.Field{{Name: "WARD", Kind: 'C', Length: 8}, {Name: "WARDNO", Kind: 'N', Length: 4}, {Name: "MUNICNAME", Kind: 'C', Length: 30}}

func TestAZippedShapefileReadsAsGeoJSONWithItsSRID(t *testing.T) {
	t.Parallel()
	// One ward of two parts, the first with a hole (nested by containment,
	// whatever the winding), and a second ward.
	l := shptest.Layer{Name: "Wards2011", Projection: epsgLo19, Fields: wardFields, Records: []shptest.Record{
		{Rings: [][][2]float64{box(50000, 3750000, 52000, 3752000), box(60000, 3750000, 61000, 3751000), box(50500, 3750500, 51000, 3751000)},
			Values: []any{"19100077", 77.0, "City of Cape Town"}},
		{Rings: [][][2]float64{box(40000, 3740000, 41000, 3741000)}, Values: []any{"19100078", 78.0, "Stad Kaapstad \xe9"}},
	}}
	got, err := read(t, zipped(t, l), "")
	require.NoError(t, err)
	require.Equal(t, "Wards2011", got.Name)
	require.Equal(t, 2048, got.SRID)
	features := got.Collection["features"].([]any)
	require.Len(t, features, 2)
	first := features[0].(map[string]any)
	require.Equal(t, map[string]any{"WARD": "19100077", "WARDNO": 77.0, "MUNICNAME": "City of Cape Town"}, first["properties"])
	polys := first["geometry"].(map[string]any)["coordinates"].([]any)
	require.Len(t, polys, 2, "two outer rings")
	require.Len(t, polys[0].([]any), 2, "the first holds the hole")
	require.Equal(t, []any{50500.0, 3750500.0}, polys[0].([]any)[1].([]any)[0])
	require.Equal(t, "Stad Kaapstad é", features[1].(map[string]any)["properties"].(map[string]any)["MUNICNAME"], "Latin-1 read as such")
}

func TestProjectionsAreKnownByTheirNamesOrRefused(t *testing.T) {
	t.Parallel()
	for prj, srid := range map[string]int{epsgLo19: 2048, esriLo19: 2048, esriUTM34S: 32734, esriWGS84: 4326,
		`PROJCS["WGS 84 / UTM zone 35S",GEOGCS["WGS 84"],PROJECTION["Transverse_Mercator"]]`:                  32735,
		`PROJCS["Hartebeesthoek94_Lo31",GEOGCS["GCS_Hartebeesthoek_1994"],PROJECTION["Transverse_Mercator"]]`: 2054} {
		got, err := shp.SRIDOf(prj)
		require.NoError(t, err, prj)
		require.Equal(t, srid, got, prj)
	}
	l := shptest.Layer{Name: "wards", Projection: `PROJCS["Cape_Lo19",GEOGCS["GCS_Cape",DATUM["D_Cape",SPHEROID["Clarke_1880_Arc",6378249.145,293.466307656]]],PROJECTION["Transverse_Mercator"]]`,
		Fields: wardFields, Records: []shptest.Record{{Rings: [][][2]float64{box(0, 0, 1, 1)}, Values: []any{"1", 1.0, "x"}}}}
	_, err := read(t, zipped(t, l), "")
	require.ErrorContains(t, err, "wards.prj: unknown projection")
	require.ErrorContains(t, err, "--srid")
}

func TestESRILoCoordinatesAreTurnedSouthOrientated(t *testing.T) {
	t.Parallel()
	l := shptest.Layer{Name: "w", Projection: esriLo19, Fields: wardFields,
		Records: []shptest.Record{{Rings: [][][2]float64{box(-52000, -3752000, -50000, -3750000)}, Values: []any{"1", 1.0, "x"}}}}
	got, err := read(t, zipped(t, l), "")
	require.NoError(t, err)
	ring := got.Collection["features"].([]any)[0].(map[string]any)["geometry"].(map[string]any)["coordinates"].([]any)[0].([]any)[0].([]any)
	require.Equal(t, []any{52000.0, 3752000.0}, ring[0])
}

func TestAZipBombIsRefusedWithoutInflatingIt(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"bomb.dbf", "bomb.shp"} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		zeros := make([]byte, 1<<20)
		for range 64 { // 64 MB of zeros: about 64 KB deflated
			_, err := w.Write(zeros)
			require.NoError(t, err)
		}
	}
	require.NoError(t, zw.Close())
	require.Less(t, b.Len(), 1<<20)
	_, err := read(t, b.Bytes(), "")
	require.ErrorIs(t, err, shp.ErrZipBomb)
}

func TestAnArchiveOfSeveralLayersNeedsOneNamed(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, l := range []string{"wards", "munis"} {
		var one bytes.Buffer
		require.NoError(t, shptest.WriteZip(&one, shptest.Layer{Name: l, Fields: wardFields,
			Records: []shptest.Record{{Rings: [][][2]float64{box(18, -34, 18.1, -33.9)}, Values: []any{"1", 1.0, l}}}}))
		zr, err := zip.NewReader(bytes.NewReader(one.Bytes()), int64(one.Len()))
		require.NoError(t, err)
		for _, f := range zr.File {
			require.NoError(t, zw.Copy(f))
		}
	}
	require.NoError(t, zw.Close())
	_, err := read(t, b.Bytes(), "")
	require.ErrorContains(t, err, "2 layers")
	got, err := read(t, b.Bytes(), "munis")
	require.NoError(t, err)
	require.Equal(t, 0, got.SRID, "no .prj")
	require.Equal(t, "munis", got.Collection["features"].([]any)[0].(map[string]any)["properties"].(map[string]any)["MUNICNAME"])
}

func TestAnIslandTouchingACornerIsNotAHole(t *testing.T) {
	t.Parallel()
	// The second square starts at the first one's corner, outside it.
	l := shptest.Layer{Name: "w", Fields: wardFields, Records: []shptest.Record{{Rings: [][][2]float64{
		box(18, -34, 18.1, -33.9),
		{{18.1, -33.9}, {18.2, -33.9}, {18.2, -33.8}, {18.1, -33.8}, {18.1, -33.9}},
	}, Values: []any{"1", 1.0, "x"}}}}
	got, err := read(t, zipped(t, l), "")
	require.NoError(t, err)
	polys := got.Collection["features"].([]any)[0].(map[string]any)["geometry"].(map[string]any)["coordinates"].([]any)
	require.Len(t, polys, 2, "two polygons, no hole")
}
