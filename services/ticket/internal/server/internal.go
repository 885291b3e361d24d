package server

import (
	"context"
	"time"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pbtime"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// RecordAssignment implements TicketInternalService.
func (s *Server) RecordAssignment(ctx context.Context, req *ticketv1.RecordAssignmentRequest) (*ticketv1.RecordAssignmentResponse, error) {
	ok, err := s.app.RecordAssignment(ctx, *assignmentIn(req))
	if err != nil {
		return nil, err
	}
	return &ticketv1.RecordAssignmentResponse{Applied: ok}, nil
}

// BatchRecordAssignments implements TicketInternalService.
func (s *Server) BatchRecordAssignments(ctx context.Context, req *ticketv1.BatchRecordAssignmentsRequest) (*ticketv1.BatchRecordAssignmentsResponse, error) {
	b := access.Batch[*domain.Assignment]{Tenant: req.GetTenant()}
	for _, r := range req.GetRequests() {
		b.Items = append(b.Items, assignmentIn(r))
	}
	applied, err := s.app.BatchRecordAssignments(ctx, b)
	if err != nil {
		return nil, err
	}
	out := &ticketv1.BatchRecordAssignmentsResponse{}
	for _, ok := range applied {
		out.Responses = append(out.Responses, &ticketv1.RecordAssignmentResponse{Applied: ok})
	}
	return out, nil
}

// assignmentIn is the domain input of req.
func assignmentIn(req *ticketv1.RecordAssignmentRequest) *domain.Assignment {
	var at time.Time
	if req.GetAssignTime() != nil {
		at = req.GetAssignTime().AsTime()
	}
	return &domain.Assignment{
		Tenant: req.GetTenant(), TicketID: req.GetTicketId(), AssignmentID: req.GetAssignmentId(),
		TeamID: req.GetTeamId(), TeamName: req.GetTeamName(), PersonID: req.GetPersonId(),
		Reason: vocab.Word(req.GetReason()), EscalationLevel: req.GetEscalationLevel(), AssignTime: at,
		WardCode: req.GetWardCode(),
	}
}

// BatchRecordDeadlines implements TicketInternalService.
func (s *Server) BatchRecordDeadlines(ctx context.Context, req *ticketv1.BatchRecordDeadlinesRequest) (*ticketv1.BatchRecordDeadlinesResponse, error) {
	b := access.Batch[*domain.Deadlines]{Tenant: req.GetTenant()}
	for _, r := range req.GetRequests() {
		b.Items = append(b.Items, deadlinesIn(r))
	}
	applied, err := s.app.BatchRecordDeadlines(ctx, b)
	if err != nil {
		return nil, err
	}
	out := &ticketv1.BatchRecordDeadlinesResponse{}
	for _, ok := range applied {
		out.Responses = append(out.Responses, &ticketv1.RecordDeadlinesResponse{Applied: ok})
	}
	return out, nil
}

// RecordDeadlines implements TicketInternalService.
func (s *Server) RecordDeadlines(ctx context.Context, req *ticketv1.RecordDeadlinesRequest) (*ticketv1.RecordDeadlinesResponse, error) {
	ok, err := s.app.RecordDeadlines(ctx, *deadlinesIn(req))
	if err != nil {
		return nil, err
	}
	return &ticketv1.RecordDeadlinesResponse{Applied: ok}, nil
}

// deadlinesIn is the domain input of req.
func deadlinesIn(req *ticketv1.RecordDeadlinesRequest) *domain.Deadlines {
	return &domain.Deadlines{
		Tenant: req.GetTenant(), TicketID: req.GetTicketId(), Revision: req.GetRevision(),
		Response: pbtime.In(req.GetResponseDeadline()), Resolution: pbtime.In(req.GetResolutionDeadline()),
	}
}
