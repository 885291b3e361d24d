package server

import (
	"context"

	"google.golang.org/protobuf/proto"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// reportIn maps the common fields of a report request.
func reportIn(tenant, period string, groupBy []slav1.ReportDimension, size int32, token string) (app.ReportQuery, error) {
	dims, err := dimsIn(groupBy)
	return app.ReportQuery{Tenant: tenant, Period: period, GroupBy: dims, PageSize: size, PageToken: token}, err
}

// category is a row's category, UNSPECIFIED when not grouped by it.
func category(w string) commonv1.Category {
	if w == "" {
		return commonv1.Category_CATEGORY_UNSPECIFIED
	}
	return vocab.MustParse[commonv1.Category](w)
}

// pct is n / (n + m) x 100, unset without either.
func pct(n, m int64) *float64 {
	if v, ok := domain.Pct(n, n+m); ok {
		return proto.Float64(v)
	}
	return nil
}

// GetComplianceReport implements SlaService.
func (s *Server) GetComplianceReport(ctx context.Context, req *slav1.GetComplianceReportRequest) (*slav1.GetComplianceReportResponse, error) {
	q, err := reportIn(req.GetTenant(), req.GetPeriod(), req.GetGroupBy(), req.GetPageSize(), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	rows, next, err := s.app.GetComplianceReport(ctx, q)
	if err != nil {
		return nil, err
	}
	return complianceOut(rows, next), nil
}

// complianceOut is the answer of GetComplianceReport.
func complianceOut(rows []app.ComplianceRow, next string) *slav1.GetComplianceReportResponse {
	out := &slav1.GetComplianceReportResponse{NextPageToken: next}
	for _, r := range rows {
		g, c := r.Group, r.Counts
		out.Rows = append(out.Rows, &slav1.ComplianceReportRow{Category: category(gbvCategory(g.Category, r.GBV)),
			WardCode: g.WardCode, TeamId: g.TeamID, Priority: g.Priority, Month: g.Month, Day: g.Day,
			Tickets: c.Tickets, Cancelled: c.Cancelled, Responded: c.Responded, ResponseMet: c.ResponseMet,
			ResponseBreached: c.ResponseBreached, Resolved: c.Resolved, ResolutionMet: c.ResolutionMet,
			ResolutionBreached: c.ResolutionBreached, Open: c.Open,
			ResponseOnTimePct: pct(c.ResponseMet, c.ResponseBreached), ResolutionOnTimePct: pct(c.ResolutionMet, c.ResolutionBreached),
			Suppressed: r.Suppressed})
	}
	return out
}

// gbvCategory names GBV's own rows "gbv" even when rows are not grouped
// by category, so a reader sees what the row is.
func gbvCategory(cat string, gbv bool) string {
	if gbv {
		return "gbv"
	}
	return cat
}

// GetVolumeReport implements SlaService.
func (s *Server) GetVolumeReport(ctx context.Context, req *slav1.GetVolumeReportRequest) (*slav1.GetVolumeReportResponse, error) {
	q, err := reportIn(req.GetTenant(), req.GetPeriod(), req.GetGroupBy(), req.GetPageSize(), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	rows, next, err := s.app.GetVolumeReport(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &slav1.GetVolumeReportResponse{NextPageToken: next}
	for _, r := range rows {
		g := r.Group
		out.Rows = append(out.Rows, &slav1.VolumeRow{Day: g.Day, Category: category(gbvCategory(g.Category, r.GBV)),
			WardCode: g.WardCode, TeamId: g.TeamID, Priority: g.Priority, Tickets: r.Counts.Tickets, Suppressed: r.Suppressed})
	}
	return out, nil
}

// GetBacklogReport implements SlaService.
func (s *Server) GetBacklogReport(ctx context.Context, req *slav1.GetBacklogReportRequest) (*slav1.GetBacklogReportResponse, error) {
	q, err := reportIn(req.GetTenant(), "", req.GetGroupBy(), req.GetPageSize(), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	rows, next, err := s.app.GetBacklogReport(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &slav1.GetBacklogReportResponse{NextPageToken: next}
	for _, r := range rows {
		g := r.Group
		out.Rows = append(out.Rows, &slav1.BacklogRow{AgeBand: r.Band, Category: category(gbvCategory(g.Category, r.GBV)),
			WardCode: g.WardCode, TeamId: g.TeamID, Priority: g.Priority, Open: r.Open, Overdue: r.Overdue, Suppressed: r.Suppressed})
	}
	return out, nil
}

// GetTimingReport implements SlaService.
func (s *Server) GetTimingReport(ctx context.Context, req *slav1.GetTimingReportRequest) (*slav1.GetTimingReportResponse, error) {
	q, err := reportIn(req.GetTenant(), req.GetPeriod(), req.GetGroupBy(), req.GetPageSize(), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	rows, next, err := s.app.GetTimingReport(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &slav1.GetTimingReportResponse{NextPageToken: next}
	for _, r := range rows {
		g := r.Group
		out.Rows = append(out.Rows, &slav1.TimingRow{Category: category(gbvCategory(g.Category, r.GBV)), WardCode: g.WardCode,
			TeamId: g.TeamID, Priority: g.Priority, Month: g.Month, Responded: r.Responded,
			ResponseMeanHours: r.Response[0], ResponseMedianHours: r.Response[1], ResponseP90Hours: r.Response[2],
			ResponseMeanBusinessHours: r.ResponseBiz[0], ResponseMedianBusinessHours: r.ResponseBiz[1],
			ResponseP90BusinessHours: r.ResponseBiz[2], Resolved: r.Resolved,
			ResolutionMeanHours: r.Resolution[0], ResolutionMedianHours: r.Resolution[1], ResolutionP90Hours: r.Resolution[2],
			ResolutionMeanBusinessHours: r.ResBiz[0], ResolutionMedianBusinessHours: r.ResBiz[1],
			ResolutionP90BusinessHours: r.ResBiz[2], Suppressed: r.Suppressed})
	}
	return out, nil
}

// GetPublicAggregates implements SlaInternalService.
func (s *Server) GetPublicAggregates(ctx context.Context, req *slav1.GetPublicAggregatesRequest) (*slav1.GetPublicAggregatesResponse, error) {
	rows, err := s.app.GetPublicAggregates(ctx, req.GetTenant(), req.GetPeriod(), req.GetByWard())
	if err != nil {
		return nil, err
	}
	out := &slav1.GetPublicAggregatesResponse{}
	for _, r := range rows {
		c := r.Counts
		out.Rows = append(out.Rows, &slav1.PublicAggregateRow{Category: category(r.Group.Category), WardCode: r.Group.WardCode,
			Tickets: c.Tickets, Resolved: c.Resolved, Open: c.Open, ResolutionOnTimePct: pct(c.ResolutionMet, c.ResolutionBreached)})
	}
	return out, nil
}
