package server

import (
	"context"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/sla/internal/app"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// Internal implements SlaInternalService (role service only).
type Internal struct {
	slav1.UnimplementedSlaInternalServiceServer
	app   *app.App
	batch int
}

// NewInternal returns the SlaInternalService handlers; batch is the sweep's
// transaction size.
func NewInternal(a *app.App, batch int) *Internal { return &Internal{app: a, batch: batch} }

// RecordTicketEvent implements SlaInternalService.RecordTicketEvent.
func (s *Internal) RecordTicketEvent(ctx context.Context, req *slav1.RecordTicketEventRequest) (*slav1.RecordTicketEventResponse, error) {
	_, scope, err := caller(ctx, auth.RoleService)
	if err != nil {
		return nil, err
	}
	var vs []apperr.FieldViolation
	bad := func(f, r string) { vs = append(vs, apperr.FieldViolation{Field: f, Rule: r}) }
	if requireUUID("", req.GetEventId()) != nil {
		bad("event_id", "must be a UUID")
	}
	if requireUUID("", req.GetTicketId()) != nil {
		bad("ticket_id", "must be a UUID")
	}
	if !municipalityCode.MatchString(req.GetTenant()) {
		bad("tenant", "must be a municipality code such as CPT")
	}
	if err := req.GetOccurTime().CheckValid(); err != nil {
		bad("occur_time", "must be set")
	}
	if req.GetSequence() < 0 {
		bad("sequence", "must not be negative")
	}
	ev := domain.TicketEvent{EventID: req.GetEventId(), Tenant: req.GetTenant(), TicketID: req.GetTicketId(),
		Category: categoryName(req.GetCategory()), From: statusName(req.GetFromStatus()), To: statusName(req.GetToStatus()),
		FirstResponse: req.GetFirstResponse(), At: req.GetOccurTime().AsTime(), Sequence: req.GetSequence()}
	switch req.GetKind() {
	case slav1.TicketEventKind_TICKET_EVENT_KIND_CREATED:
		ev.Kind = domain.EventCreated
		if _, ok := commonv1.Category_name[int32(req.GetCategory())]; !ok || ev.Category == "" {
			bad("category", "must be a known category for created events")
		}
	case slav1.TicketEventKind_TICKET_EVENT_KIND_STATUS_CHANGED:
		ev.Kind = domain.EventStatusChanged
		if _, ok := commonv1.TicketStatus_name[int32(req.GetToStatus())]; !ok || ev.To == "" {
			bad("to_status", "must be a known status for status changes")
		}
	default:
		bad("kind", "must be created or status_changed")
	}
	if len(vs) > 0 {
		return nil, apperr.InvalidFields(vs...)
	}
	clocks, applied, err := s.app.RecordTicketEvent(ctx, scope, ev)
	if err != nil {
		return nil, err
	}
	return &slav1.RecordTicketEventResponse{Clocks: clocksPB(clocks), Applied: applied}, nil
}

// RunSweep implements SlaInternalService.RunSweep.
func (s *Internal) RunSweep(ctx context.Context, req *slav1.RunSweepRequest) (*slav1.RunSweepResponse, error) {
	if _, _, err := caller(ctx, auth.RoleService); err != nil {
		return nil, err
	}
	limit := int(req.GetLimit())
	if limit < 0 || limit > 100000 {
		return nil, apperr.Invalid("limit", "must be between 0 and 100000")
	}
	if limit == 0 {
		limit = 1000
	}
	res, err := s.app.Sweep(ctx, limit, s.batch)
	if err != nil {
		return nil, err
	}
	return &slav1.RunSweepResponse{Warnings: int32(res.Warnings), Breaches: int32(res.Breaches)}, nil
}

// ListClockEvents implements SlaInternalService.ListClockEvents.
func (s *Internal) ListClockEvents(ctx context.Context, req *slav1.ListClockEventsRequest) (*slav1.ListClockEventsResponse, error) {
	c, scope, err := caller(ctx, auth.RoleService)
	if err != nil {
		return nil, err
	}
	if c.Tenant == auth.AllTenants {
		// The feed of every municipality (for notifications), asked for by
		// a service token for all of them.
		scope = access.System("sla-clock-feed").Scope()
	}
	size := int(req.GetPageSize())
	if size < 0 || size > 1000 {
		return nil, apperr.Invalid("page_size", "must be between 0 and 1000")
	}
	if size == 0 {
		size = 100
	}
	evs, next, err := s.app.ClockEvents(ctx, scope, req.GetAfter(), size)
	if err != nil {
		return nil, err
	}
	out := &slav1.ListClockEventsResponse{NextCursor: next}
	for _, e := range evs {
		out.Events = append(out.Events, eventPB(e))
	}
	return out, nil
}
