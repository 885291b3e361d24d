package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/geo/shp/shptest"
)

// trustctl runs the command in process and returns its output.
func trustctl(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestEverySubcommandExplainsItself(t *testing.T) {
	for _, args := range [][]string{{"import-municipalities", "-help"}, {"import-wards", "--help"}, {"teams", "list", "-help"}, {"token", "-help"}} {
		_, stderr, err := trustctl(args...)
		require.ErrorContains(t, err, "help requested", args)
		require.Contains(t, stderr, "Usage: trustctl "+strings.Join(args[:len(args)-1], " "), args)
		require.Contains(t, stderr, "Flags:", args)
	}
	_, stderr, err := trustctl("--help")
	require.NoError(t, err)
	for _, c := range commands {
		require.Contains(t, stderr, c.name)
	}
	_, stderr, err = trustctl("frobnicate")
	require.ErrorIs(t, err, errUsage)
	require.Contains(t, stderr, `unknown command "frobnicate"`)
}

func TestTokenIsMintedOnlyInDevelopmentMode(t *testing.T) {
	t.Setenv(config.DevModeVar, "")
	t.Setenv("JWT_HS256_SECRET", "")
	_, _, err := trustctl("token", "-role", "agent", "-tenant", "CPT")
	require.ErrorContains(t, err, "set TRUSTENGINE_DEV_MODE=1")

	t.Setenv(config.DevModeVar, "1")
	out, _, err := trustctl("token", "-role", "platform_admin", "-tenant", "*")
	require.NoError(t, err)
	require.Len(t, strings.Split(strings.TrimSpace(out), "."), 3, "a JWT")
	_, _, err = trustctl("token", "-role", "wizard")
	require.ErrorContains(t, err, `unknown role "wizard"`)
}

// write puts a file in a fresh directory and returns its path.
func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

func TestBadFilesAndFlagsAreRefusedBeforeAnythingIsSent(t *testing.T) {
	t.Setenv("TRUSTENGINE_TOKEN", "")
	// Nothing listens here: every case must fail before dialling.
	t.Setenv("TRUSTENGINE_ROUTING_ADDR", "127.0.0.1:1")
	ward := `{"type":"Feature","properties":{"WARDNO":1},"geometry":{"type":"Polygon","coordinates":[[[18.4,-33.9],[18.5,-33.9],[18.5,-33.8],[18.4,-33.9]]]}}`
	good := write(t, "wards.geojson", []byte(`{"type":"FeatureCollection","features":[`+ward+`]}`))

	var huge strings.Builder
	huge.WriteString(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"WARDNO":1},"geometry":{"type":"Polygon","coordinates":[[`)
	for i := range 300_000 {
		fmt.Fprintf(&huge, "[18.%06d,-33.9],", i)
	}
	huge.WriteString(`[18.0,-33.9]]]}}]}`)

	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	for _, name := range []string{"w.shp", "w.dbf"} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(make([]byte, 64<<20))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())

	var unknown bytes.Buffer
	require.NoError(t, shptest.WriteZip(&unknown, shptest.Layer{Name: "w", Projection: `PROJCS["Cape / Lo19",GEOGCS["Cape"],PROJECTION["Transverse_Mercator"]]`,
		Fields:  []shptest.Field{{Name: "WARDNO", Kind: 'N', Length: 4}},
		Records: []shptest.Record{{Rings: [][][2]float64{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, Values: []any{1.0}}}}))

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no token", []string{"import-wards", "-category", "water", good}, "TRUSTENGINE_TOKEN is empty"},
		{"an unknown category", []string{"import-wards", "-category", "dragons", good}, "usage"},
		{"a name pattern without a property", []string{"import-wards", "-category", "water", "-name-pattern", "Ward", good}, "usage"},
		{"an unknown mode", []string{"import-municipalities", "-mode", "yolo", good}, "usage"},
		{"no file", []string{"import-municipalities"}, "usage"},
		{"a file of another kind", []string{"import-municipalities", write(t, "wards.kml", []byte("<kml/>"))}, "not a boundary file trustctl reads"},
		{"a ward of 300,000 vertices", []string{"import-wards", "-category", "water", write(t, "huge.geojson", []byte(huge.String()))}, "features[0]: an area must have at most 200000 positions"},
		{"a zip bomb", []string{"import-wards", "-category", "water", write(t, "bomb.zip", bomb.Bytes())}, "zip bomb"},
		{"a .prj in an unknown projection", []string{"import-wards", "-category", "water", write(t, "cape.zip", unknown.Bytes())}, "w.prj: unknown projection"},
		{"not GeoJSON", []string{"import-wards", "-category", "water", write(t, "w.geojson", []byte(`{"type":"Topology"}`))}, "must be FeatureCollection"},
	}
	for _, c := range cases {
		_, stderr, err := trustctl(c.args...)
		require.Error(t, err, c.name)
		require.Contains(t, err.Error()+stderr, c.want, c.name)
	}
}

func TestNamePatternsSplitIntoPrefixAndProperty(t *testing.T) {
	t.Parallel()
	m := namePattern.FindStringSubmatch("Water ward {WARDNO}")
	require.Equal(t, []string{"Water ward {WARDNO}", "Water ward ", "WARDNO"}, m)
	require.Nil(t, namePattern.FindStringSubmatch("{WARDNO} water"))
	require.Nil(t, namePattern.FindStringSubmatch("Ward {A}{B}"))
}
