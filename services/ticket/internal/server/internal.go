package server

import (
	"context"
	"time"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// RecordAssignment implements TicketInternalService.
func (s *Server) RecordAssignment(ctx context.Context, req *ticketv1.RecordAssignmentRequest) (*ticketv1.RecordAssignmentResponse, error) {
	var at time.Time
	if req.GetAssignTime() != nil {
		at = req.GetAssignTime().AsTime()
	}
	ok, err := s.app.RecordAssignment(ctx, domain.Assignment{
		Tenant: req.GetTenant(), TicketID: req.GetTicketId(), AssignmentID: req.GetAssignmentId(),
		TeamID: req.GetTeamId(), TeamName: req.GetTeamName(), PersonID: req.GetPersonId(),
		Reason: vocab.Word(req.GetReason()), EscalationLevel: req.GetEscalationLevel(), AssignTime: at,
		WardCode: req.GetWardCode(),
	})
	if err != nil {
		return nil, err
	}
	return &ticketv1.RecordAssignmentResponse{Applied: ok}, nil
}

// RecordDeadlines implements TicketInternalService.
func (s *Server) RecordDeadlines(ctx context.Context, req *ticketv1.RecordDeadlinesRequest) (*ticketv1.RecordDeadlinesResponse, error) {
	ok, err := s.app.RecordDeadlines(ctx, domain.Deadlines{
		Tenant: req.GetTenant(), TicketID: req.GetTicketId(), Revision: req.GetRevision(),
		Response: timeIn(req.GetResponseDeadline()), Resolution: timeIn(req.GetResolutionDeadline()),
	})
	if err != nil {
		return nil, err
	}
	return &ticketv1.RecordDeadlinesResponse{Applied: ok}, nil
}
