package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

func TestExplainNamesTheRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		category domain.Category
		reason   domain.Reason
		cands    []domain.Candidate
		person   string
		want     []string
	}{
		{"containment among several areas says it picked the smallest", word.CategoryWater, word.ReasonGeospatial,
			[]domain.Candidate{{TeamName: "Ward 7", ContainsPoint: true}, {TeamName: "Metro", ContainsPoint: true}}, "",
			[]string{"Ward 7", "contains the point", "smallest of the 2 water team areas"}},
		{"the nearest fallback gives the distance", word.CategoryWater, word.ReasonFallbackNearest,
			[]domain.Candidate{{TeamName: "Ward 9", DistanceMeters: 1234}}, "",
			[]string{"No water team area contains the point", "Ward 9", "1234 m"}},
		{"GBV speaks of SAPS liaison teams", word.CategoryGBV, word.ReasonTriage, nil, "",
			[]string{"No active SAPS liaison team", "triage"}},
		{"a chosen member is named", word.CategoryRoads, word.ReasonGeospatial,
			[]domain.Candidate{{TeamName: "Roads", ContainsPoint: true}}, "thandi", []string{"member thandi"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := domain.Decision{Candidates: tc.cands, PersonID: tc.person, Reason: word.ReasonTriage}
			if len(tc.cands) > 0 {
				d.Choose(0, tc.reason)
			}
			d.Explain(tc.category)
			for _, w := range tc.want {
				require.Contains(t, d.Explanation, w)
			}
		})
	}
}
