package server

import (
	"encoding/json"
	"fmt"
	"time"

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
		WardCode: t.WardCode, WardRetireTime: timeOut(t.WardRetiredAt),
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
		InCoverageGap: d.InCoverageGap, WardCode: d.WardCode,
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
			Priority: vocab.MustParse[commonv1.Priority](q.Priority), BreachTime: timeOut(q.BreachTime),
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

// timeOut is a Timestamp, nil for nil.
func timeOut(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}

func boundarySetOut(b domain.BoundarySet) *routingv1.BoundarySet {
	out := &routingv1.BoundarySet{
		Id: b.ID, Tenant: b.Tenant, Version: int32(b.Version), EffectiveTime: timestamppb.New(b.EffectiveAt),
		ApplyTime: timeOut(b.AppliedAt), Source: b.Source, MergedFrom: b.MergedFrom, WardCount: int32(b.WardCount),
		CreateTime: timestamppb.New(b.CreatedAt), TeamNamePrefix: b.TeamNamePrefix,
	}
	if b.TeamCategory != "" {
		out.TeamCategory = vocab.MustParse[commonv1.Category](string(b.TeamCategory))
	}
	r := b.Report
	rep := &routingv1.BoundaryReport{PreviousVersion: int32(r.PreviousVersion), Unchanged: int32(r.Unchanged),
		Added: wardChangesOut(r.Added), Removed: wardChangesOut(r.Removed), Changed: wardChangesOut(r.Changed),
		Teams: &routingv1.BoundaryTeams{Applied: r.Teams.Applied, Following: int32(r.Teams.Following),
			Created: int32(r.Teams.Created), Adopted: int32(r.Teams.Adopted), UnbuiltWards: r.Teams.Unbuilt}}
	for _, w := range r.Repaired {
		rep.Repaired = append(rep.Repaired, &routingv1.RepairedWard{Code: w.Code, Reason: w.Reason})
	}
	for _, m := range r.Merged {
		rep.Merged = append(rep.Merged, &routingv1.MergedMunicipality{Code: m.Code, Version: int32(m.Version),
			WardCount: int32(m.WardCount), AreaSqKm: m.AreaSqKm})
	}
	for _, t := range r.Teams.Retired {
		rep.Teams.Retired = append(rep.Teams.Retired, &routingv1.RetiredTeam{TeamId: t.ID, TeamName: t.Name,
			Tenant: t.Tenant, WardCode: t.WardCode})
	}
	out.Report = rep
	return out
}

func wardChangesOut(cs []domain.WardChange) []*routingv1.WardChange {
	out := make([]*routingv1.WardChange, 0, len(cs))
	for _, c := range cs {
		out = append(out, &routingv1.WardChange{Code: c.Code, Label: c.Label, Municipality: c.Municipality,
			OldAreaSqKm: c.OldAreaSqKm, NewAreaSqKm: c.NewAreaSqKm, AreaChangePercent: c.AreaChangePercent,
			ShapeChangePercent: c.ShapeChangePercent})
	}
	return out
}
