package domain

import (
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// TeamInput is a team as a request gives it. ServiceArea is decoded
// GeoJSON, nil for a team without an area.
type TeamInput struct {
	ID, Tenant, Name string
	Category         Category
	IsSAPS, Active   bool
	ManagerID        string
	EscalationTeamID string
	Members          []Member
	ServiceArea      map[string]any
	// RepairArea asks for an invalid service area to be repaired
	// (ST_MakeValid) rather than refused.
	RepairArea bool
}

// createPaths are the fields a new team takes from its request: a new team
// is always active.
var createPaths = []string{"name", "category", "is_saps", "manager_id", "escalation_team_id", "members", "service_area"}

// ErrNoTeam refuses a create without its team.
var ErrNoTeam = apperr.Invalid("team", "is required")

// NewTeam checks a team to create and returns it, active, in tenant (the
// one the request names, or the caller's own, as the use case resolves).
func (in TeamInput) NewTeam(tenant string) (Team, error) {
	p, err := in.patch(createPaths)
	if err != nil {
		return Team{}, err
	}
	return p.Apply(Team{Tenant: tenant, Active: true}), nil
}

// TeamChange is an update of a team as a request gives it: the id named by
// the path (PathID) or the resource, the fields the mask names and their
// new values.
type TeamChange struct {
	PathID string
	Paths  []string
	TeamInput
}

// TeamPatch names the fields an update changes; nil leaves one alone.
type TeamPatch struct {
	ID               string
	Name             *string
	Category         *Category
	IsSAPS           *bool
	ManagerID        *string
	EscalationTeamID *string
	Members          *[]Member
	Active           *bool
	// ServiceArea is checked GeoJSON, or "" to remove the area.
	ServiceArea *string
}

// Patch checks the change and returns what it sets; a mask is required.
func (ch TeamChange) Patch() (TeamPatch, error) {
	id, err := apperr.PathID(ch.PathID, ch.ID, "id", "team.id")
	if err != nil {
		return TeamPatch{}, err
	}
	if err := CheckID(id, "id"); err != nil {
		return TeamPatch{}, err
	}
	if len(ch.Paths) == 0 {
		return TeamPatch{}, apperr.Invalid("update_mask", "is required")
	}
	p, err := ch.patch(ch.Paths)
	p.ID = id
	return p, err
}

// Deactivation is the patch that stops a team from receiving new tickets.
func Deactivation(id string) (TeamPatch, error) {
	if err := CheckID(id, "id"); err != nil {
		return TeamPatch{}, err
	}
	inactive := false
	return TeamPatch{ID: id, Active: &inactive}, nil
}

// patch checks the fields of in that paths name.
func (in TeamInput) patch(paths []string) (TeamPatch, error) {
	var p TeamPatch
	for _, path := range paths {
		if err := p.add(path, in); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (p *TeamPatch) add(path string, in TeamInput) error {
	switch path {
	case "name":
		if err := CheckText(in.Name, "team.name", true, MaxName); err != nil {
			return err
		}
		p.Name = &in.Name
	case "category":
		if err := checkCategory(in.Category, "team.category"); err != nil {
			return err
		}
		p.Category = &in.Category
	case "is_saps":
		p.IsSAPS = &in.IsSAPS
	case "manager_id":
		if err := CheckText(in.ManagerID, "team.manager_id", false, MaxName); err != nil {
			return err
		}
		p.ManagerID = &in.ManagerID
	case "escalation_team_id":
		if in.EscalationTeamID != "" && !IsID(in.EscalationTeamID) {
			return apperr.Invalid("team.escalation_team_id", "must be a UUID or empty")
		}
		p.EscalationTeamID = &in.EscalationTeamID
	case "members":
		if err := checkMembers(in.Members); err != nil {
			return err
		}
		p.Members = &in.Members
	case "active":
		p.Active = &in.Active
	case "service_area":
		text := ""
		if in.ServiceArea != nil {
			area, err := geo.ParseArea(in.ServiceArea, "team.service_area")
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

// checkMembers refuses members without a user id, or named twice.
func checkMembers(ms []Member) error {
	seen := map[string]bool{}
	for i, m := range ms {
		field := fmt.Sprintf("team.members[%d].user_id", i)
		if err := CheckText(m.UserID, field, true, MaxName); err != nil {
			return err
		}
		if seen[m.UserID] {
			return apperr.Invalid(field, "must be unique within the team")
		}
		seen[m.UserID] = true
	}
	return nil
}

// Apply returns t with the patch applied.
func (p TeamPatch) Apply(t Team) Team {
	apply(&t.Name, p.Name)
	apply(&t.Category, p.Category)
	apply(&t.IsSAPS, p.IsSAPS)
	apply(&t.ManagerID, p.ManagerID)
	apply(&t.EscalationTeamID, p.EscalationTeamID)
	apply(&t.Members, p.Members)
	apply(&t.Active, p.Active)
	apply(&t.ServiceArea, p.ServiceArea)
	return t
}

// NewArea reports whether the patch gives the team an area to check.
func (p TeamPatch) NewArea() bool { return p.ServiceArea != nil && *p.ServiceArea != "" }

// KeepsArea reports whether the patch leaves the stored area alone (its
// GeoJSON was not loaded).
func (p TeamPatch) KeepsArea() bool { return p.ServiceArea == nil }
