package server

import (
	"context"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// Public implements SlaService.
type Public struct {
	slav1.UnimplementedSlaServiceServer
	app *app.App
}

// NewPublic returns the SlaService handlers.
func NewPublic(a *app.App) *Public { return &Public{app: a} }

// GetTicketClocks implements SlaService.GetTicketClocks (staff of the tenant;
// GBV only for saps_liaison and services).
func (s *Public) GetTicketClocks(ctx context.Context, req *slav1.GetTicketClocksRequest) (*slav1.GetTicketClocksResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := requireUUID("ticket_id", req.GetTicketId()); err != nil {
		return nil, err
	}
	clocks, evs, err := s.app.TicketClocks(ctx, scope, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	out := &slav1.GetTicketClocksResponse{Clocks: clocksPB(clocks)}
	for _, e := range evs {
		out.Events = append(out.Events, eventPB(e))
	}
	return out, nil
}

// ListAtRiskTickets implements SlaService.ListAtRiskTickets (staff).
func (s *Public) ListAtRiskTickets(ctx context.Context, req *slav1.ListAtRiskTicketsRequest) (*slav1.ListAtRiskTicketsResponse, error) {
	c, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	tenant, err := tenantOf(c, scope, req.GetTenant())
	if err != nil {
		return nil, err
	}
	if _, ok := commonv1.Category_name[int32(req.GetCategory())]; !ok {
		return nil, apperr.Invalid("category", "must be a known category")
	}
	size := int(req.GetPageSize())
	if size < 0 || size > 1000 {
		return nil, apperr.Invalid("page_size", "must be between 0 and 1000")
	}
	if size == 0 {
		size = 100
	}
	clocks, now, err := s.app.AtRisk(ctx, scope, store.AtRiskFilter{Tenant: tenant, Category: categoryName(req.GetCategory()),
		IncludeBreached: req.GetIncludeBreached(), Limit: size})
	if err != nil {
		return nil, err
	}
	out := &slav1.ListAtRiskTicketsResponse{}
	for _, c := range clocks {
		out.Tickets = append(out.Tickets, &slav1.AtRiskTicket{TicketId: c.TicketID, Category: categoryEnum(c.Category),
			Clock: clockPB(c), TimeToBreach: durationpb.New(c.DeadlineAt.Sub(now))})
	}
	return out, nil
}

// GetCompliance implements SlaService.GetCompliance (staff).
func (s *Public) GetCompliance(ctx context.Context, req *slav1.GetComplianceRequest) (*slav1.GetComplianceResponse, error) {
	c, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	tenant, err := tenantOf(c, scope, req.GetTenant())
	if err != nil {
		return nil, err
	}
	end := time.Now()
	if req.GetEndTime() != nil {
		if err := req.GetEndTime().CheckValid(); err != nil {
			return nil, apperr.Invalid("end_time", "must be a valid timestamp")
		}
		end = req.GetEndTime().AsTime()
	}
	start := end.Add(-30 * 24 * time.Hour)
	if req.GetStartTime() != nil {
		if err := req.GetStartTime().CheckValid(); err != nil {
			return nil, apperr.Invalid("start_time", "must be a valid timestamp")
		}
		start = req.GetStartTime().AsTime()
	}
	if !start.Before(end) {
		return nil, apperr.Invalid("start_time", "must be before end_time")
	}
	rows, err := s.app.Compliance(ctx, scope, tenant, start, end)
	if err != nil {
		return nil, err
	}
	out := &slav1.GetComplianceResponse{}
	for _, r := range rows {
		out.Rows = append(out.Rows, &slav1.ComplianceRow{Category: categoryEnum(r.Category), MetOnTime: int32(r.MetOnTime),
			MetLate: int32(r.MetLate), OpenOverdue: int32(r.OpenOverdue), OpenOnTrack: int32(r.OnTrack),
			OnTimeRatio: r.OnTimeRatio, ResponseOnTimeRatio: r.ResponseOnTimeRatio})
	}
	return out, nil
}
