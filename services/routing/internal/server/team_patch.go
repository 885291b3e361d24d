package server

import (
	"fmt"

	"github.com/google/uuid"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
	"github.com/salga/trustengine/services/routing/internal/app"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// teamPatch collects validated team fields named by a mask.
type teamPatch struct {
	app.TeamPatch
}

func (p *teamPatch) add(path string, pt *routingv1.Team) error {
	switch path {
	case "name":
		if err := checkText(pt.GetName(), "team.name", true, 200); err != nil {
			return err
		}
		p.Name = ptr(pt.GetName())
	case "category":
		if err := checkCategory(pt.GetCategory(), "team.category"); err != nil {
			return err
		}
		p.Category = ptr(categoryFromProto(pt.GetCategory()))
	case "is_saps":
		p.IsSAPS = ptr(pt.GetIsSaps())
	case "manager_id":
		if err := checkText(pt.GetManagerId(), "team.manager_id", false, 200); err != nil {
			return err
		}
		p.ManagerID = ptr(pt.GetManagerId())
	case "escalation_team_id":
		if id := pt.GetEscalationTeamId(); id != "" {
			if _, err := uuid.Parse(id); err != nil {
				return apperr.Invalid("team.escalation_team_id", "must be a UUID or empty")
			}
		}
		p.EscalationTeamID = ptr(pt.GetEscalationTeamId())
	case "members":
		members, err := membersFromProto(pt.GetMembers())
		if err != nil {
			return err
		}
		p.Members = &members
	case "active":
		p.Active = ptr(pt.GetActive())
	case "service_area":
		text := ""
		if pt.GetServiceArea() != nil {
			area, err := geo.ParseArea(structMap(pt.GetServiceArea()), "team.service_area")
			if err != nil {
				return err
			}
			text = area.JSON()
		}
		p.ServiceArea = &text
	default:
		return apperr.Invalid("update_mask", fmt.Sprintf("path %q is not a team field that can be changed", path))
	}
	return nil
}

// applyTo copies every set field onto t (used by CreateTeam).
func (p *teamPatch) applyTo(t *domain.Team) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&t.Name, p.Name)
	set(&t.ManagerID, p.ManagerID)
	set(&t.EscalationTeamID, p.EscalationTeamID)
	set(&t.ServiceArea, p.ServiceArea)
	if p.Category != nil {
		t.Category = *p.Category
	}
	if p.IsSAPS != nil {
		t.IsSAPS = *p.IsSAPS
	}
	if p.Members != nil {
		t.Members = *p.Members
	}
}

func membersFromProto(ms []*routingv1.TeamMember) ([]domain.Member, error) {
	out := make([]domain.Member, 0, len(ms))
	seen := map[string]bool{}
	for i, m := range ms {
		field := fmt.Sprintf("team.members[%d].user_id", i)
		if err := checkText(m.GetUserId(), field, true, 200); err != nil {
			return nil, err
		}
		if seen[m.GetUserId()] {
			return nil, apperr.Invalid(field, "must be unique within the team")
		}
		seen[m.GetUserId()] = true
		out = append(out, domain.Member{UserID: m.GetUserId(), DisplayName: m.GetDisplayName()})
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }
