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

// ListIndicators implements SlaService.
func (s *Server) ListIndicators(ctx context.Context, _ *slav1.ListIndicatorsRequest) (*slav1.ListIndicatorsResponse, error) {
	ins, err := s.app.ListIndicators(ctx)
	if err != nil {
		return nil, err
	}
	out := &slav1.ListIndicatorsResponse{}
	for _, in := range ins {
		x := &slav1.Indicator{Code: in.Code, Name: in.Name, Definition: in.Definition, Clock: in.Clock,
			Standard: in.Standard, StandardHours: in.StandardHours}
		for _, c := range in.Categories {
			x.Categories = append(x.Categories, vocab.MustParse[commonv1.Category](c))
		}
		out.Indicators = append(out.Indicators, x)
	}
	return out, nil
}

// GetIndicator implements SlaService.
func (s *Server) GetIndicator(ctx context.Context, req *slav1.GetIndicatorRequest) (*slav1.GetIndicatorResponse, error) {
	v, err := s.app.GetIndicator(ctx, req.GetTenant(), req.GetCode(), req.GetPeriod())
	if err != nil {
		return nil, err
	}
	return &slav1.GetIndicatorResponse{Value: indicatorOut(v)}, nil
}

// ComputeIndicators implements SlaService.
func (s *Server) ComputeIndicators(ctx context.Context, req *slav1.ComputeIndicatorsRequest) (*slav1.ComputeIndicatorsResponse, error) {
	dims, err := dimsIn(req.GetGroupBy())
	if err != nil {
		return nil, err
	}
	vals, next, err := s.app.ComputeIndicators(ctx, app.IndicatorQuery{Tenant: req.GetTenant(), Period: req.GetPeriod(),
		Codes: req.GetCodes(), GroupBy: dims, PageSize: req.GetPageSize(), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &slav1.ComputeIndicatorsResponse{NextPageToken: next}
	for _, v := range vals {
		out.Rows = append(out.Rows, indicatorOut(v))
	}
	return out, nil
}

// ListIndicatorTickets implements SlaService.
func (s *Server) ListIndicatorTickets(ctx context.Context, req *slav1.ListIndicatorTicketsRequest) (*slav1.ListIndicatorTicketsResponse, error) {
	tickets, next, err := s.app.ListIndicatorTickets(ctx, app.IndicatorTicketsQuery{Tenant: req.GetTenant(), Code: req.GetCode(),
		Period: req.GetPeriod(), NumeratorOnly: req.GetNumeratorOnly(), PageSize: req.GetPageSize(), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &slav1.ListIndicatorTicketsResponse{NextPageToken: next}
	for _, t := range tickets {
		out.Tickets = append(out.Tickets, &slav1.IndicatorTicket{TicketId: t.TicketID,
			Category: vocab.MustParse[commonv1.Category](t.Category), CreateTime: ts(t.CreateTime),
			ResponseTime: ts(t.RespondTime), ResolveTime: ts(t.ResolveTime), InNumerator: t.InNumerator,
			Pending: t.Pending, WardCode: t.WardCode, TeamId: t.TeamID})
	}
	return out, nil
}

// dimsIn maps group_by to the domain's dimensions.
func dimsIn(ds []slav1.ReportDimension) ([]domain.Dimension, error) {
	return vocab.Repeated[domain.Dimension](ds, "group_by", "must be known dimensions")
}

func indicatorOut(v domain.IndicatorValue) *slav1.IndicatorValue {
	x := &slav1.IndicatorValue{Code: v.Code, Tenant: v.Tenant, Period: v.Period.Label,
		PeriodStart: domain.Date(v.Period.Start), PeriodEnd: domain.Date(v.Period.End), WardCode: v.Group.WardCode,
		TeamId: v.Group.TeamID, Priority: v.Group.Priority, Month: v.Group.Month, Numerator: v.Numerator,
		Denominator: v.Denominator, Status: vocab.MustParse[slav1.IndicatorStatus](v.Status), Pending: v.Pending}
	if v.HasPercentage {
		x.Percentage = proto.Float64(v.Percentage)
	}
	return x
}
