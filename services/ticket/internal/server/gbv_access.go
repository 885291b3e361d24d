package server

import (
	"context"
	"time"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// RecordGbvAccess implements TicketInternalService.
func (s *Server) RecordGbvAccess(ctx context.Context, req *ticketv1.RecordGbvAccessRequest) (*ticketv1.RecordGbvAccessResponse, error) {
	var at time.Time
	if req.GetAccessTime().IsValid() {
		at = req.GetAccessTime().AsTime()
	}
	ok, err := s.app.RecordGBVAccess(ctx, domain.GBVAccess{
		Tenant: req.GetTenant(), TicketIDs: req.GetTicketIds(), Subject: req.GetSubject(), Roles: req.GetRoles(),
		Action: req.GetAction(), EventID: req.GetEventId(), Time: at,
	})
	if err != nil {
		return nil, err
	}
	return &ticketv1.RecordGbvAccessResponse{Applied: ok}, nil
}
