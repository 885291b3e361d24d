package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

func TestPeriodsFollowTheMunicipalFinancialYear(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		label      string
		start, end time.Time
	}{
		{"2026/27-Q1", day(2026, 7, 1), day(2026, 10, 1)},
		{"2026/27-Q2", day(2026, 10, 1), day(2027, 1, 1)},
		{"2026/27-Q3", day(2027, 1, 1), day(2027, 4, 1)},
		{"2026/27-Q4", day(2027, 4, 1), day(2027, 7, 1)},
		{"2026/27", day(2026, 7, 1), day(2027, 7, 1)},
		{"2099/00", day(2099, 7, 1), day(2100, 7, 1)},
		{"2027-02", day(2027, 2, 1), day(2027, 3, 1)},
	}
	for _, tt := range tests {
		p, err := domain.ParsePeriod(tt.label, "period")
		require.NoError(t, err, tt.label)
		require.Equal(t, []time.Time{tt.start, tt.end}, []time.Time{p.Start, p.End}, tt.label)
	}
	for _, bad := range []string{"", "2026", "2026-13", "2026/28", "2026/27-Q0", "2026/27-Q5", "1999-12", "26/27-Q1", "2026-7"} {
		_, err := domain.ParsePeriod(bad, "period")
		require.ErrorContains(t, err, "period", "%q", bad)
	}
	require.Equal(t, "2026/27-Q1", domain.QuarterOf(day(2026, 9, 30)).Label)
	require.Equal(t, "2026/27-Q2", domain.QuarterOf(day(2026, 10, 1)).Label)
	require.Equal(t, "2025/26-Q4", domain.QuarterOf(day(2026, 6, 30)).Label)
	// 00:30 on 1 October in South Africa is still 30 September in UTC.
	require.Equal(t, day(2026, 10, 1), domain.DayOf(time.Date(2026, 9, 30, 22, 30, 0, 0, time.UTC)))
	require.Equal(t, time.Date(2026, 9, 30, 22, 0, 0, 0, time.UTC), domain.QuarterOf(day(2026, 9, 1)).EndTime().UTC())
}
