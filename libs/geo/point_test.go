package geo_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

func TestValidatePoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		lat, lng float64
		wantMsg  string
	}{
		{"Cape Town city hall is accepted", -33.92, 18.42, ""},
		{"a latitude of 123 is out of range", 123, 18.42, "invalid location.latitude: must be a finite number between -90 and 90"},
		{"a longitude of -200 is out of range", -33.92, -200, "invalid location.longitude: must be a finite number between -180 and 180"},
		{"a NaN latitude is not finite", math.NaN(), 18.42, "invalid location.latitude: must be a finite number"},
		{"an infinite longitude is not finite", -33.92, math.Inf(1), "invalid location.longitude: must be a finite number"},
		{"London is outside South Africa", 51.5, -0.12, "invalid location.latitude: must be inside South Africa (-35.5 to -21.5)"},
		{"Null Island is outside South Africa", 0, 0, "invalid location.longitude: must be inside South Africa (16 to 33.5)"},
		{"Harare is north of South Africa", -17.83, 31.05, "invalid location.latitude: must be inside South Africa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := geo.ValidatePoint(tt.lat, tt.lng, "location")
			if tt.wantMsg == "" {
				require.NoError(t, err)
				return
			}
			st := apperr.ToStatus(context.Background(), err)
			require.Equal(t, codes.InvalidArgument, st.Code())
			require.Contains(t, st.Message(), tt.wantMsg)
		})
	}
}

func TestPointRoundTripsThroughPostGIS(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	b, err := geo.PointEWKB(-33.92, 18.42)
	require.NoError(t, err)

	var wkt string
	var x, y float64
	var srid int
	var back []byte
	require.NoError(t, db.QueryRow(ctx, `SELECT ST_AsText(g), ST_X(g), ST_Y(g), ST_SRID(g), ST_AsEWKB(g)
		FROM (SELECT ST_GeomFromEWKB($1) g) s`, b).Scan(&wkt, &x, &y, &srid, &back))
	require.Equal(t, "POINT(18.42 -33.92)", wkt)
	require.Equal(t, 18.42, x)
	require.Equal(t, -33.92, y)
	require.Equal(t, geo.SRID, srid)

	lat, lng, err := geo.DecodeEWKBPoint(back)
	require.NoError(t, err)
	require.Equal(t, [2]float64{-33.92, 18.42}, [2]float64{lat, lng})

	// A geometry column read as text arrives as hex EWKB.
	var hexText string
	require.NoError(t, db.QueryRow(ctx, `SELECT ST_SetSRID(ST_MakePoint(28.04, -26.2), 4326)::text`).Scan(&hexText))
	lat, lng, err = geo.DecodeEWKBPoint([]byte(hexText))
	require.NoError(t, err)
	require.Equal(t, [2]float64{-26.2, 28.04}, [2]float64{lat, lng})

	_, err = geo.PointEWKB(math.NaN(), 0)
	require.Error(t, err)
}
