package shp_test

import (
	"bytes"
	"testing"

	"github.com/salga/trustengine/libs/geo/shp"
	"github.com/salga/trustengine/libs/geo/shp/shptest"
)

// FuzzReadZip feeds archives (seeded with a real two-ring layer) to the
// reader: it must answer with a layer or an error, never panic.
func FuzzReadZip(f *testing.F) {
	var seed bytes.Buffer
	if err := shptest.WriteZip(&seed, shptest.Layer{Name: "w", Projection: esriUTM34S, Fields: wardFields,
		Records: []shptest.Record{{Rings: [][][2]float64{box(0, 0, 10, 10), box(2, 2, 3, 3)}, Values: []any{"1", 1.0, "x"}}}}); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = shp.ReadZipFrom(bytes.NewReader(data), int64(len(data)), "")
	})
}
