package server

import (
	"context"
	"fmt"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListNearbyTickets implements TicketService.
func (s *Server) ListNearbyTickets(ctx context.Context, req *ticketv1.ListNearbyTicketsRequest) (*ticketv1.ListNearbyTicketsResponse, error) {
	cat, ok := vocab.Optional(req.GetCategory())
	if !ok {
		return nil, apperr.Invalid("category", "must be a known category")
	}
	ts, meters, err := s.app.ListNearbyTickets(ctx, domain.NearbyQuery{Tenant: req.GetTenant(), Location: pointIn(req.GetLocation()),
		Category: domain.Category(cat), Meters: req.GetRadiusMeters(), Size: int(req.GetPageSize())})
	if err != nil {
		return nil, err
	}
	return &ticketv1.ListNearbyTicketsResponse{Tickets: nearbyListOut(ts), RadiusMeters: meters}, nil
}

// LinkDuplicate implements TicketService.
func (s *Server) LinkDuplicate(ctx context.Context, req *ticketv1.LinkDuplicateRequest) (*ticketv1.LinkDuplicateResponse, error) {
	child, parent, err := s.app.LinkDuplicate(ctx, domain.Link{ChildID: req.GetId(), ParentID: req.GetParentId(), Reason: req.GetReason()})
	if err != nil {
		return nil, err
	}
	return &ticketv1.LinkDuplicateResponse{Ticket: ticketOut(child), Parent: ticketOut(parent)}, nil
}

// UnlinkDuplicate implements TicketService.
func (s *Server) UnlinkDuplicate(ctx context.Context, req *ticketv1.UnlinkDuplicateRequest) (*ticketv1.UnlinkDuplicateResponse, error) {
	t, err := s.app.UnlinkDuplicate(ctx, req.GetId(), req.GetReason())
	if err != nil {
		return nil, err
	}
	return &ticketv1.UnlinkDuplicateResponse{Ticket: ticketOut(t)}, nil
}

// FollowTicket implements TicketService.
func (s *Server) FollowTicket(ctx context.Context, req *ticketv1.FollowTicketRequest) (*ticketv1.FollowTicketResponse, error) {
	n, count, err := s.app.FollowTicket(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &ticketv1.FollowTicketResponse{Ticket: nearbyOut(n), FollowerCount: count}, nil
}

// SetTicketPriority implements TicketService.
func (s *Server) SetTicketPriority(ctx context.Context, req *ticketv1.SetTicketPriorityRequest) (*ticketv1.SetTicketPriorityResponse, error) {
	p, ok := vocab.Optional(req.GetPriority())
	if !ok {
		return nil, apperr.Invalid("priority", "must be one of PRIORITY_P1_CRITICAL to PRIORITY_P4_LOW")
	}
	t, err := s.app.SetTicketPriority(ctx, domain.PriorityChange{TicketID: req.GetId(), To: domain.Priority(p), Reason: req.GetReason()})
	if err != nil {
		return nil, err
	}
	return &ticketv1.SetTicketPriorityResponse{Ticket: ticketOut(t)}, nil
}

// GetDuplicateSettings implements TicketService.
func (s *Server) GetDuplicateSettings(ctx context.Context, req *ticketv1.GetDuplicateSettingsRequest) (*ticketv1.GetDuplicateSettingsResponse, error) {
	ds, err := s.app.GetDuplicateSettings(ctx, req.GetTenant())
	if err != nil {
		return nil, err
	}
	return &ticketv1.GetDuplicateSettingsResponse{Settings: settingsOut(ds)}, nil
}

// SetDuplicateSettings implements TicketService.
func (s *Server) SetDuplicateSettings(ctx context.Context, req *ticketv1.SetDuplicateSettingsRequest) (*ticketv1.SetDuplicateSettingsResponse, error) {
	in, err := settingsIn(req.GetSettings())
	if err != nil {
		return nil, err
	}
	ds, err := s.app.SetDuplicateSettings(ctx, in)
	if err != nil {
		return nil, err
	}
	return &ticketv1.SetDuplicateSettingsResponse{Settings: settingsOut(ds)}, nil
}

// settingsIn maps settings, refusing enum numbers the contract lacks.
func settingsIn(in *ticketv1.DuplicateSettings) (domain.DuplicateSettings, error) {
	ds := domain.DuplicateSettings{Tenant: in.GetTenant()}
	for i, r := range in.GetRadii() {
		cat, ok := vocab.Optional(r.GetCategory())
		if !ok {
			return ds, apperr.Invalid(fmt.Sprintf("settings.radii[%d].category", i), "must be a known category")
		}
		ds.Radii = append(ds.Radii, domain.NearbyRadius{Category: domain.Category(cat), Resident: r.GetResidentMeters(), Staff: r.GetStaffMeters()})
	}
	for i, k := range in.GetKeywords() {
		p, ok := vocab.Optional(k.GetPriority())
		if !ok {
			return ds, apperr.Invalid(fmt.Sprintf("settings.keywords[%d].priority", i), "must be one of PRIORITY_P1_CRITICAL to PRIORITY_P4_LOW")
		}
		ds.Keywords = append(ds.Keywords, domain.PriorityKeyword{Phrase: k.GetPhrase(), Priority: domain.Priority(p)})
	}
	return ds, nil
}

func settingsOut(ds domain.DuplicateSettings) *ticketv1.DuplicateSettings {
	out := &ticketv1.DuplicateSettings{Tenant: ds.Tenant}
	for _, r := range ds.Radii {
		out.Radii = append(out.Radii, &ticketv1.NearbyRadius{Category: vocab.MustParse[commonv1.Category](string(r.Category)),
			ResidentMeters: r.Resident, StaffMeters: r.Staff})
	}
	for _, k := range ds.Keywords {
		out.Keywords = append(out.Keywords, &ticketv1.PriorityKeyword{Phrase: k.Phrase, Priority: vocab.MustParse[commonv1.Priority](string(k.Priority))})
	}
	return out
}
