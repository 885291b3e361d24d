package server

import (
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// The domain stores enums as the lower-case suffix of the proto names
// (CATEGORY_WATER -> water), which are also the strings other services see.

func categoryFromProto(c commonv1.Category) domain.Category {
	if c == commonv1.Category_CATEGORY_UNSPECIFIED {
		return ""
	}
	return domain.Category(strings.ToLower(strings.TrimPrefix(c.String(), "CATEGORY_")))
}

func categoryToProto(c domain.Category) commonv1.Category {
	return commonv1.Category(commonv1.Category_value["CATEGORY_"+strings.ToUpper(string(c))])
}

func statusFromProto(s commonv1.TicketStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "TICKET_STATUS_"))
}

func statusToProto(s string) commonv1.TicketStatus {
	return commonv1.TicketStatus(commonv1.TicketStatus_value["TICKET_STATUS_"+strings.ToUpper(s)])
}

func reasonToProto(r domain.Reason) commonv1.AssignmentReason {
	return commonv1.AssignmentReason(commonv1.AssignmentReason_value["ASSIGNMENT_REASON_"+strings.ToUpper(string(r))])
}

func reasonFromProto(r commonv1.AssignmentReason) domain.Reason {
	return domain.Reason(strings.ToLower(strings.TrimPrefix(r.String(), "ASSIGNMENT_REASON_")))
}

// geoJSONStruct turns stored GeoJSON text into a Struct ("" gives nil).
func geoJSONStruct(text string) (*structpb.Struct, error) {
	if text == "" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return nil, fmt.Errorf("decode stored GeoJSON: %w", err)
	}
	s, err := structpb.NewStruct(m)
	if err != nil {
		return nil, fmt.Errorf("structpb.NewStruct: %w", err)
	}
	return s, nil
}

func municipalityToProto(m domain.Municipality) (*routingv1.Municipality, error) {
	boundary, err := geoJSONStruct(m.Boundary)
	if err != nil {
		return nil, err
	}
	return &routingv1.Municipality{
		Code: m.Code, Name: m.Name, Province: m.Province, Boundary: boundary,
		CreateTime: timestamppb.New(m.CreatedAt), UpdateTime: timestamppb.New(m.UpdatedAt),
	}, nil
}

func teamToProto(t domain.Team) (*routingv1.Team, error) {
	area, err := geoJSONStruct(t.ServiceArea)
	if err != nil {
		return nil, err
	}
	members := make([]*routingv1.TeamMember, 0, len(t.Members))
	for _, m := range t.Members {
		members = append(members, &routingv1.TeamMember{UserId: m.UserID, DisplayName: m.DisplayName})
	}
	return &routingv1.Team{
		Id: t.ID, Tenant: t.Tenant, Name: t.Name, Category: categoryToProto(t.Category), IsSaps: t.IsSAPS,
		ManagerId: t.ManagerID, EscalationTeamId: t.EscalationTeamID, Members: members, Active: t.Active,
		ServiceArea: area, AreaSqKm: t.AreaSqKm,
		CreateTime: timestamppb.New(t.CreatedAt), UpdateTime: timestamppb.New(t.UpdatedAt),
	}, nil
}

func assignmentToProto(a domain.Assignment) *routingv1.Assignment {
	return &routingv1.Assignment{
		Id: a.ID, TicketId: a.TicketID, Tenant: a.Tenant, TeamId: a.TeamID, TeamName: a.TeamName,
		AssignedPersonId: a.PersonID, AssignedBy: a.AssignedBy, Reason: reasonToProto(a.Reason), Note: a.Note,
		IsCurrent: a.IsCurrent, EscalationLevel: a.EscalationLevel, CreateTime: timestamppb.New(a.CreatedAt),
	}
}

func decisionToProto(d domain.Decision) *routingv1.RouteDecision {
	out := &routingv1.RouteDecision{
		TeamId: d.TeamID, TeamName: d.TeamName, AssignedPersonId: d.PersonID,
		Reason: reasonToProto(d.Reason), Explanation: d.Explanation,
	}
	for _, c := range d.Candidates {
		out.Candidates = append(out.Candidates, &routingv1.RouteCandidate{
			TeamId: c.TeamID, TeamName: c.TeamName, ContainsPoint: c.ContainsPoint,
			DistanceMeters: c.DistanceMeters, AreaSqKm: c.AreaSqKm, Chosen: c.Chosen,
		})
	}
	return out
}

func queueToProto(qs []domain.QueuedTicket) []*routingv1.QueuedTicket {
	out := make([]*routingv1.QueuedTicket, 0, len(qs))
	for _, q := range qs {
		out = append(out, &routingv1.QueuedTicket{
			TicketId: q.Assignment.TicketID, Assignment: assignmentToProto(q.Assignment),
			Status: statusToProto(q.Status), Category: categoryToProto(q.Assignment.Category),
		})
	}
	return out
}
