package csvreport_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/csvreport"
)

func TestAReportOpensAsCSVWithANamedColumnForEveryField(t *testing.T) {
	t.Parallel()
	res := &slav1.GetComplianceReportResponse{NextPageToken: "x", Rows: []*slav1.ComplianceReportRow{
		{Category: commonv1.Category_CATEGORY_ROADS, WardCode: "19100001", Tickets: 4, ResolutionMet: 2, ResolutionBreached: 2,
			ResolutionOnTimePct: proto.Float64(50)},
		{Category: commonv1.Category_CATEGORY_WATER, WardCode: "=HYPERLINK(1)", Tickets: 1},
	}}
	b, err := csvreport.Marshal(res)
	require.NoError(t, err)
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 3, "a header and two rows")
	require.Equal(t, []string{"category", "ward_code", "team_id", "priority", "month", "day", "tickets", "cancelled", "responded",
		"response_met", "response_breached", "resolved", "resolution_met", "resolution_breached", "open",
		"response_on_time_pct", "resolution_on_time_pct", "suppressed"}, recs[0])
	row := map[string]string{}
	for i, c := range recs[0] {
		row[c] = recs[1][i]
	}
	require.Equal(t, "roads", row["category"])
	require.Equal(t, "4", row["tickets"])
	require.Equal(t, "50", row["resolution_on_time_pct"])
	require.Equal(t, "", row["response_on_time_pct"], "an absent percentage is an empty cell, not 0")
	require.Equal(t, "false", row["suppressed"])
	require.Equal(t, "'=HYPERLINK(1)", recs[2][1], "text a spreadsheet would run is quoted")

	one, err := csvreport.Marshal(&slav1.GetIndicatorResponse{Value: &slav1.IndicatorValue{Code: "WS3.11",
		Status: slav1.IndicatorStatus_INDICATOR_STATUS_NO_DATA}})
	require.NoError(t, err)
	recs, err = csv.NewReader(strings.NewReader(string(one))).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 2, "one value is one row")
	require.Equal(t, "no_data", recs[1][12])
	require.Equal(t, "", recs[1][11], "no data has no percentage")

	_, err = csvreport.Marshal(&slav1.DeleteReportScheduleResponse{})
	require.Error(t, err, "a message without rows is no report")
}
