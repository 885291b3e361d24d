package server

import (
	"context"

	"google.golang.org/genproto/googleapis/api/httpbody"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/csvreport"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// CreateReportSchedule implements SlaService.
func (s *Server) CreateReportSchedule(ctx context.Context, req *slav1.CreateReportScheduleRequest) (*slav1.CreateReportScheduleResponse, error) {
	in := req.GetSchedule()
	kind, err := vocab.Field(in.GetKind(), "schedule.kind", "must be a known report kind")
	if err != nil {
		return nil, err
	}
	freq, err := vocab.Field(in.GetFrequency(), "schedule.frequency", "must be a known frequency")
	if err != nil {
		return nil, err
	}
	out, err := s.app.CreateReportSchedule(ctx, domain.ReportSchedule{Tenant: in.GetTenant(), Kind: kind, Frequency: freq,
		Recipients: in.GetRecipients()})
	if err != nil {
		return nil, err
	}
	return &slav1.CreateReportScheduleResponse{Schedule: scheduleOut(out)}, nil
}

// ListReportSchedules implements SlaService.
func (s *Server) ListReportSchedules(ctx context.Context, req *slav1.ListReportSchedulesRequest) (*slav1.ListReportSchedulesResponse, error) {
	list, err := s.app.ListReportSchedules(ctx, req.GetTenant())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListReportSchedulesResponse{}
	for _, sc := range list {
		out.Schedules = append(out.Schedules, scheduleOut(sc))
	}
	return out, nil
}

// DeleteReportSchedule implements SlaService.
func (s *Server) DeleteReportSchedule(ctx context.Context, req *slav1.DeleteReportScheduleRequest) (*slav1.DeleteReportScheduleResponse, error) {
	if err := s.app.DeleteReportSchedule(ctx, req.GetId()); err != nil {
		return nil, err
	}
	return &slav1.DeleteReportScheduleResponse{}, nil
}

// ListReportExports implements SlaService.
func (s *Server) ListReportExports(ctx context.Context, req *slav1.ListReportExportsRequest) (*slav1.ListReportExportsResponse, error) {
	list, err := s.app.ListReportExports(ctx, req.GetTenant(), req.GetScheduleId())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListReportExportsResponse{}
	for _, e := range list {
		out.Exports = append(out.Exports, exportOut(e))
	}
	return out, nil
}

// GetReportExport implements SlaService.
func (s *Server) GetReportExport(ctx context.Context, req *slav1.GetReportExportRequest) (*slav1.GetReportExportResponse, error) {
	e, err := s.app.GetReportExport(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	x := exportOut(e)
	x.Content = e.Content
	return &slav1.GetReportExportResponse{Export: x}, nil
}

// DownloadReportExport implements SlaService.
func (s *Server) DownloadReportExport(ctx context.Context, req *slav1.DownloadReportExportRequest) (*httpbody.HttpBody, error) {
	e, err := s.app.GetReportExport(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &httpbody.HttpBody{ContentType: e.ContentType, Data: e.Content}, nil
}

func scheduleOut(s domain.ReportSchedule) *slav1.ReportSchedule {
	return &slav1.ReportSchedule{Id: s.ID, Tenant: s.Tenant, Kind: vocab.MustParse[slav1.ReportKind](s.Kind),
		Frequency: vocab.MustParse[slav1.ReportFrequency](s.Frequency), Recipients: s.Recipients, NextRunTime: ts(s.NextRunAt),
		CreatedBy: s.CreatedBy, CreateTime: ts(s.CreateTime)}
}

func exportOut(e domain.ReportExport) *slav1.ReportExport {
	return &slav1.ReportExport{Id: e.ID, Tenant: e.Tenant, ScheduleId: e.ScheduleID, Kind: vocab.MustParse[slav1.ReportKind](e.Kind),
		Period: e.Period, FileName: e.FileName, ContentType: e.ContentType, SizeBytes: e.Size, CreateTime: ts(e.CreateTime)}
}

// CSV renders scheduled reports exactly as the gateway's CSV download of
// the same RPC's answer (libs/csvreport).
type CSV struct{}

var _ app.Renderer = CSV{}

// Indicators implements app.Renderer: ComputeIndicators' rows.
func (CSV) Indicators(vals []domain.IndicatorValue) ([]byte, error) {
	res := &slav1.ComputeIndicatorsResponse{}
	for _, v := range vals {
		res.Rows = append(res.Rows, indicatorOut(v))
	}
	return csvreport.Marshal(res)
}

// Compliance implements app.Renderer: GetComplianceReport's rows.
func (CSV) Compliance(rows []app.ComplianceRow) ([]byte, error) {
	return csvreport.Marshal(complianceOut(rows, ""))
}

// ContentType implements app.Renderer.
func (CSV) ContentType() string { return csvreport.ContentType }
