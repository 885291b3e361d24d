package open311

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
)

func TestListQueryAppliesTheDefaultWindowAndCap(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		q         url.Values
		wantStart time.Time
		wantSize  int32
		wantOff   int32
	}{
		{"no dates look back 90 days and return at most 1000", url.Values{}, now.Add(-DefaultWindow), 1000, 0},
		{"an end_date alone looks back 90 days from it", url.Values{"end_date": {"2026-06-01T00:00:00+02:00"}},
			time.Date(2026, 5, 31, 22, 0, 0, 0, time.UTC).Add(-DefaultWindow), 1000, 0},
		{"a start_date replaces the window", url.Values{"start_date": {"2025-01-01T00:00:00Z"}},
			time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 1000, 0},
		{"page and page_size become a limit and an offset", url.Values{"page": {"3"}, "page_size": {"50"}}, now.Add(-DefaultWindow), 50, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := listQuery(tt.q, "CPT", now)
			require.NoError(t, err)
			require.Equal(t, "CPT", req.GetTenant())
			require.True(t, tt.wantStart.Equal(req.GetCreatedAfter().AsTime()), "start %v", req.GetCreatedAfter().AsTime())
			require.Equal(t, tt.wantSize, req.GetPageSize())
			require.Equal(t, tt.wantOff, req.GetOffset())
		})
	}
}

func TestListQueryLetsRequestIDsOverrideEveryOtherFilter(t *testing.T) {
	t.Parallel()
	req, err := listQuery(url.Values{"service_request_id": {"a, b,,c"}, "service_code": {"water"}, "status": {"open"},
		"start_date": {"2026-01-01T00:00:00Z"}, "extensions": {"true"}}, "CPT", time.Now())
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "c"}, req.GetIds())
	require.Empty(t, req.GetCategories())
	require.Empty(t, req.GetStatuses())
	require.Nil(t, req.GetCreatedAfter(), "no window with explicit ids")
	require.True(t, req.GetIncludeNotes())
}

func TestListQueryMapsServiceCodesAndStatuses(t *testing.T) {
	t.Parallel()
	req, err := listQuery(url.Values{"service_code": {"water,roads"}, "status": {"closed"}}, "CPT", time.Now())
	require.NoError(t, err)
	require.Equal(t, []commonv1.Category{commonv1.Category_CATEGORY_WATER, commonv1.Category_CATEGORY_ROADS}, req.GetCategories())
	require.Equal(t, closedStatuses, req.GetStatuses())
}

func TestListQueryRefusesBadParameters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		q    url.Values
		want string
	}{
		{"a date without a time zone is refused", url.Values{"start_date": {"2026-01-01"}}, "start_date"},
		{"a start after the end is refused", url.Values{"start_date": {"2026-02-01T00:00:00Z"}, "end_date": {"2026-01-01T00:00:00Z"}}, "start_date"},
		{"an unknown status is refused", url.Values{"status": {"pending"}}, "status"},
		{"an unknown service code is refused", url.Values{"service_code": {"parking"}}, "service_code"},
		{"a page size above 1000 is refused", url.Values{"page_size": {"1001"}}, "page_size"},
		{"a page of zero is refused", url.Values{"page": {"0"}}, "page"},
		{"a radius without a centre is refused", url.Values{"radius": {"100"}}, "lat"},
		{"a radius above 100 km is refused", url.Values{"lat": {"-33.9"}, "long": {"18.4"}, "radius": {"100001"}}, "radius"},
		{"more than 1000 ids are refused", url.Values{"service_request_id": {manyIDs(1001)}}, "service_request_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := listQuery(tt.q, "CPT", time.Now())
			var bad badRequest
			require.ErrorAs(t, err, &bad)
			require.Contains(t, bad.msg, tt.want)
		})
	}
}

func manyIDs(n int) string {
	b := make([]byte, 0, 2*n)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, 'x')
	}
	return string(b)
}
