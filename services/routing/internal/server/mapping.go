package server

import (
	"encoding/json"
	"fmt"

	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// Enum values map to the domain's words through libs/vocab (vocab.Field). A
// request's UNSPECIFIED value maps to "" (the use case refuses a missing
// value, or a list does not filter by it); a number the contract does not
// define is refused here, since it has no word at all.

func categoryIn(c commonv1.Category, field string) (domain.Category, error) {
	w, err := vocab.Field(c, field, "must be a known category other than CATEGORY_UNSPECIFIED")
	return domain.Category(w), err
}

func pointIn(l *commonv1.LatLng) *domain.Point {
	if l == nil {
		return nil
	}
	return &domain.Point{Lat: l.GetLatitude(), Lng: l.GetLongitude()}
}

// structIn returns a Struct as decoded GeoJSON, nil for a nil Struct.
func structIn(s *structpb.Struct) map[string]any {
	if s == nil {
		return nil
	}
	return s.AsMap()
}

// structOut turns stored GeoJSON text into a Struct ("" gives nil).
func structOut(text string) (*structpb.Struct, error) {
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

func municipalityOut(m domain.Municipality) (*routingv1.Municipality, error) {
	boundary, err := structOut(m.Boundary)
	if err != nil {
		return nil, err
	}
	return &routingv1.Municipality{
		Code: m.Code, Name: m.Name, Province: m.Province, Boundary: boundary,
		CreateTime: timestamppb.New(m.CreatedAt), UpdateTime: timestamppb.New(m.UpdatedAt),
	}, nil
}

func teamOut(t domain.Team) (*routingv1.Team, error) {
	area, err := structOut(t.ServiceArea)
	if err != nil {
		return nil, err
	}
	members := make([]*routingv1.TeamMember, 0, len(t.Members))
	for _, m := range t.Members {
		members = append(members, &routingv1.TeamMember{UserId: m.UserID, DisplayName: m.DisplayName})
	}
	return &routingv1.Team{
		Id: t.ID, Tenant: t.Tenant, Name: t.Name, Category: vocab.MustParse[commonv1.Category](string(t.Category)), IsSaps: t.IsSAPS,
		ManagerId: t.ManagerID, EscalationTeamId: t.EscalationTeamID, Members: members, Active: t.Active,
		ServiceArea: area, AreaSqKm: t.AreaSqKm,
		CreateTime: timestamppb.New(t.CreatedAt), UpdateTime: timestamppb.New(t.UpdatedAt),
	}, nil
}

func assignmentOut(a domain.Assignment) *routingv1.Assignment {
	return &routingv1.Assignment{
		Id: a.ID, TicketId: a.TicketID, Tenant: a.Tenant, TeamId: a.TeamID, TeamName: a.TeamName,
		AssignedPersonId: a.PersonID, AssignedBy: a.AssignedBy, Reason: vocab.MustParse[commonv1.AssignmentReason](string(a.Reason)),
		Note: a.Note, IsCurrent: a.IsCurrent, EscalationLevel: a.EscalationLevel, CreateTime: timestamppb.New(a.CreatedAt),
	}
}

func decisionOut(d domain.Decision) *routingv1.RouteDecision {
	out := &routingv1.RouteDecision{
		TeamId: d.TeamID, TeamName: d.TeamName, AssignedPersonId: d.PersonID,
		Reason: vocab.MustParse[commonv1.AssignmentReason](string(d.Reason)), Explanation: d.Explanation,
		InCoverageGap: d.InCoverageGap,
	}
	for _, c := range d.Candidates {
		out.Candidates = append(out.Candidates, &routingv1.RouteCandidate{
			TeamId: c.TeamID, TeamName: c.TeamName, ContainsPoint: c.ContainsPoint,
			DistanceMeters: c.DistanceMeters, AreaSqKm: c.AreaSqKm, Chosen: c.Chosen,
		})
	}
	return out
}

func queueOut(qs []domain.QueuedTicket) []*routingv1.QueuedTicket {
	out := make([]*routingv1.QueuedTicket, 0, len(qs))
	for _, q := range qs {
		out = append(out, &routingv1.QueuedTicket{
			TicketId: q.Assignment.TicketID, Assignment: assignmentOut(q.Assignment),
			Status:   vocab.MustParse[commonv1.TicketStatus](q.Status),
			Category: vocab.MustParse[commonv1.Category](string(q.Assignment.Category)),
		})
	}
	return out
}

func coverageOut(c domain.Coverage) (*routingv1.Coverage, error) {
	gap, err := structOut(c.Gap)
	if err != nil {
		return nil, err
	}
	out := &routingv1.Coverage{
		Tenant: c.Tenant, Category: vocab.MustParse[commonv1.Category](string(c.Category)),
		MunicipalityAreaSqKm: c.MunicipalityAreaSqKm, TeamCount: int32(c.TeamCount),
		Gap: gap, GapAreaSqKm: c.GapAreaSqKm, GapPercent: c.GapPercent(), GapParts: int32(c.GapParts),
	}
	for _, o := range c.Overlaps {
		area, err := structOut(o.Area)
		if err != nil {
			return nil, err
		}
		ov := &routingv1.CoverageOverlap{Area: area, AreaSqKm: o.AreaSqKm, TieBreak: o.TieBreak}
		for _, t := range o.Teams {
			ov.Teams = append(ov.Teams, &routingv1.CoverageTeam{TeamId: t.ID, TeamName: t.Name, AreaSqKm: t.AreaSqKm, Chosen: t.Chosen})
		}
		out.Overlaps = append(out.Overlaps, ov)
	}
	return out, nil
}
