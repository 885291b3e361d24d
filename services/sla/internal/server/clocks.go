package server

import (
	"context"

	"google.golang.org/protobuf/types/known/durationpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// GetTicketClocks implements SlaService.
func (s *Server) GetTicketClocks(ctx context.Context, req *slav1.GetTicketClocksRequest) (*slav1.GetTicketClocksResponse, error) {
	clocks, evs, err := s.app.GetTicketClocks(ctx, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	return &slav1.GetTicketClocksResponse{Clocks: clocksOut(clocks), Events: eventsOut(evs)}, nil
}

// ExplainTicketClocks implements SlaService.
func (s *Server) ExplainTicketClocks(ctx context.Context, req *slav1.ExplainTicketClocksRequest) (*slav1.ExplainTicketClocksResponse, error) {
	es, now, err := s.app.ExplainTicketClocks(ctx, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	out := &slav1.ExplainTicketClocksResponse{ExplainTime: ts(now)}
	for _, e := range es {
		x := &slav1.ClockExplanation{Clock: clockOut(e.Clock)}
		for _, sg := range e.Segments {
			x.Segments = append(x.Segments, segmentOut(sg))
		}
		out.Clocks = append(out.Clocks, x)
	}
	return out, nil
}

// ListAtRiskTickets implements SlaService. An undefined category is
// refused here: no word would mean every category.
func (s *Server) ListAtRiskTickets(ctx context.Context, req *slav1.ListAtRiskTicketsRequest) (*slav1.ListAtRiskTicketsResponse, error) {
	cat, ok := vocab.Optional(req.GetCategory())
	if !ok {
		return nil, apperr.Invalid("category", "must be a known category")
	}
	clocks, now, err := s.app.ListAtRiskTickets(ctx, domain.AtRiskQuery{Tenant: req.GetTenant(), Category: cat,
		IncludeBreached: req.GetIncludeBreached(), PageSize: int(req.GetPageSize()), PriorityFirst: req.GetPriorityFirst()})
	if err != nil {
		return nil, err
	}
	out := &slav1.ListAtRiskTicketsResponse{}
	for _, c := range clocks {
		out.Tickets = append(out.Tickets, &slav1.AtRiskTicket{TicketId: c.TicketID, Category: vocab.MustParse[commonv1.Category](c.Category),
			Clock: clockOut(c), TimeToBreach: durationpb.New(c.DeadlineAt.Sub(now)), Priority: vocab.MustParse[commonv1.Priority](c.Priority)})
	}
	return out, nil
}

// GetCompliance implements SlaService.
func (s *Server) GetCompliance(ctx context.Context, req *slav1.GetComplianceRequest) (*slav1.GetComplianceResponse, error) {
	end, err := timeIn(req.GetEndTime(), "end_time")
	if err != nil {
		return nil, err
	}
	start, err := timeIn(req.GetStartTime(), "start_time")
	if err != nil {
		return nil, err
	}
	rows, err := s.app.GetCompliance(ctx, domain.ComplianceQuery{Tenant: req.GetTenant(), Start: start, End: end})
	if err != nil {
		return nil, err
	}
	out := &slav1.GetComplianceResponse{}
	for _, r := range rows {
		out.Rows = append(out.Rows, &slav1.ComplianceRow{Category: vocab.MustParse[commonv1.Category](r.Category), MetOnTime: int32(r.MetOnTime),
			MetLate: int32(r.MetLate), OpenOverdue: int32(r.OpenOverdue), OpenOnTrack: int32(r.OnTrack),
			OnTimeRatio: r.OnTimeRatio, ResponseOnTimeRatio: r.ResponseOnTimeRatio})
	}
	return out, nil
}
