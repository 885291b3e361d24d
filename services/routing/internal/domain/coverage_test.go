package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/routing/internal/domain"
)

func TestAnOverlapChoosesAsRoutingDoes(t *testing.T) {
	t.Parallel()
	a := domain.OverlapTeam{ID: "0f000000-0000-4000-8000-000000000000", Name: "Ward 9", AreaSqKm: 12.5}
	b := domain.OverlapTeam{ID: "0a000000-0000-4000-8000-000000000000", Name: "CBD", AreaSqKm: 3.25}
	tests := []struct {
		name   string
		teams  [2]domain.OverlapTeam
		cat    domain.Category
		chosen string
		words  []string
	}{
		{"the smaller area wins whatever the order", [2]domain.OverlapTeam{a, b}, "water", "CBD",
			[]string{"Where water teams overlap, the smallest service area wins", "CBD (3.250 km²) takes tickets here before Ward 9 (12.500 km²)"}},
		{"the smaller area wins in either order", [2]domain.OverlapTeam{b, a}, "water", "CBD", []string{"CBD (3.250 km²)"}},
		{"equal areas fall to the lower id", [2]domain.OverlapTeam{a, {ID: b.ID, Name: "Twin", AreaSqKm: 12.5}}, "roads", "Twin",
			[]string{"both areas are 12.500 km²", "Twin (id 0a000000"}},
		{"GBV names SAPS liaison teams", [2]domain.OverlapTeam{a, b}, "gbv", "CBD", []string{"Where SAPS liaison teams overlap"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := domain.Overlap{Teams: tc.teams}
			o.Resolve(tc.cat)
			require.Equal(t, tc.chosen, o.Teams[0].Name)
			require.True(t, o.Teams[0].Chosen)
			require.False(t, o.Teams[1].Chosen)
			for _, w := range tc.words {
				require.Contains(t, o.TieBreak, w)
			}
		})
	}
}

func TestCoveragePercentOfTheMunicipality(t *testing.T) {
	t.Parallel()
	require.InDelta(t, 25.0, domain.Coverage{MunicipalityAreaSqKm: 200, GapAreaSqKm: 50}.GapPercent(), 1e-12)
	require.Zero(t, domain.Coverage{GapAreaSqKm: 50}.GapPercent(), "no municipality area, no percentage")
}
