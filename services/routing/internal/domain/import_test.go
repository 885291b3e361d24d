package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

func TestAnAreaIsJudgedByWhatPostGISFound(t *testing.T) {
	t.Parallel()
	capeTown := domain.AreaCheck{Reason: domain.ValidGeometry, Before: 1e6, After: 1e6, MinLng: 18.4, MinLat: -34.0, MaxLng: 18.5, MaxLat: -33.9}
	touching := capeTown
	touching.Reason, touching.After = "Ring Self-intersection[18.43 -33.68]", 1e6+10
	bowtie := capeTown
	bowtie.Reason, bowtie.After = "Self-intersection[18.45 -33.95]", 1.5e6
	line := capeTown
	line.Reason, line.Empty, line.After = "Self-intersection[18.42 -33.9]", true, 0
	swapped := capeTown
	swapped.MinLng, swapped.MinLat, swapped.MaxLng, swapped.MaxLat = -34.0, 18.4, -33.9, 18.5
	europe := capeTown
	europe.MinLng, europe.MinLat, europe.MaxLng, europe.MaxLat = 10, 50, 11, 51
	tests := []struct {
		name   string
		check  domain.AreaCheck
		repair bool
		want   string // "" accepts
	}{
		{"a valid area in South Africa is accepted", capeTown, false, ""},
		{"a self-touching ring is repaired when repair is allowed", touching, true, ""},
		{"a self-touching ring is refused with PostGIS's reason otherwise", touching, false, "must be a valid polygon (OGC simple features): Ring Self-intersection"},
		{"a repair changing the area by half is refused", bowtie, true, "repair would change the area by 50.00% (limit 5%)"},
		{"nothing left after repair is refused", line, true, "is empty after repair"},
		{"swapped coordinates are refused with the hint", swapped, false, "with longitude and latitude swapped"},
		{"an area in Europe is refused as in the northern hemisphere", europe, false, "northern hemisphere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check.Judge(tt.repair, domain.DefaultMaxAreaChange, "f")
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.want)
		})
	}
	require.InDelta(t, 0.001, touching.AreaChange(), 1e-9)
}

func TestImportOptionsDefaultToRepairFivePercentAndWGS84(t *testing.T) {
	t.Parallel()
	o, err := domain.ImportOptions{}.Check()
	require.NoError(t, err)
	require.Equal(t, domain.ImportOptions{Mode: domain.ImportRepair, MaxAreaChange: 5, SRID: 4326}, o)
	for _, bad := range []domain.ImportOptions{{Mode: "yolo"}, {MaxAreaChange: -1}, {MaxAreaChange: 100.5}, {SRID: -1}, {SRID: 999_000}} {
		_, err := bad.Check()
		require.Error(t, err, "%+v", bad)
	}
}
