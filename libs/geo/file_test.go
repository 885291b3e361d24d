package geo_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/geo"
)

func TestReadCollectionFileReadsTheShippedWards(t *testing.T) {
	t.Parallel()
	fc, err := geo.ReadCollectionFile(filepath.Join("..", "..", "data", "mdb2011", "wards2011_CPT.geojson.gz"))
	require.NoError(t, err)
	fs, err := geo.ParseFeatures(fc, "fc", geo.SRID)
	require.NoError(t, err)
	require.Len(t, fs, 111)
	for _, f := range fs {
		require.NoError(t, f.Err)
	}
	require.Equal(t, "77", fs[76].Property("WARDNO"))
}

// hugeWard streams a FeatureCollection whose one ward has n positions,
// never holding it whole.
func hugeWard(n int) *io.PipeReader {
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"WARD":"1"},"geometry":{"type":"Polygon","coordinates":[[`)
		for i := range n {
			if i > 0 {
				if _, err := io.WriteString(pw, ","); err != nil {
					return
				}
			}
			if _, err := fmt.Fprintf(pw, "[18.%07d,-33.9]", i%10_000_000); err != nil {
				return
			}
		}
		fmt.Fprint(pw, `]]}}]}`)
		pw.Close()
	}()
	return pr
}

func TestReadCollectionRefusesAFiveMillionVertexWardAsItReadsIt(t *testing.T) {
	t.Parallel()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	r := hugeWard(5_000_000)
	_, err := geo.ReadCollection(r)
	require.ErrorContains(t, err, "features[0]: an area must have at most 200000 positions")
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// What was read before the refusal: 200,000 positions, not 5 million.
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(400<<20))
	_ = r.Close() // stops the writer
}

func TestReadCollectionRefusesWhatIsNotAFeatureCollection(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`[]`, `{"type":"Feature"}`, `{"type":"FeatureCollection","features":{}}`, `{"type":"FeatureCollection","features":[{]}`} {
		_, err := geo.ReadCollection(strings.NewReader(body))
		require.Error(t, err, body)
	}
	fc, err := geo.ReadCollection(strings.NewReader(`{"features":[{"type":"Feature","properties":{"n":1.5}}],"type":"FeatureCollection"}`))
	require.NoError(t, err)
	require.Equal(t, 1.5, fc["features"].([]any)[0].(map[string]any)["properties"].(map[string]any)["n"])
}

func TestReadCollectionFileSaysWhichFileItCouldNotRead(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "wards.geojson.gz")
	require.NoError(t, os.WriteFile(path, []byte("not gzip"), 0o600))
	_, err := geo.ReadCollectionFile(path)
	require.ErrorContains(t, err, path)
}
