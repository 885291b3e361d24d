package domain

import (
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// GBV stays with SAPS teams: a GBV ticket is assigned, reassigned and
// escalated only to SAPS teams of its municipality (or waits in triage,
// which only SAPS liaisons see), and the teams it depends on stay SAPS
// teams. These are the rules; the database holds the same ones as a second
// wall (migration 00005).

// SAPSEscalationRule is the rule a SAPS team's escalation team breaks when
// it is not a SAPS team.
const SAPSEscalationRule = "must be a SAPS team when the team is a SAPS team: GBV tickets escalate only to SAPS teams"

// IsSAPSOf reports whether t is a SAPS team of municipality tenant.
func (t Team) IsSAPSOf(tenant string) bool { return t.IsSAPS && t.Tenant == tenant }

// CheckEscalationTeam refuses t's escalation team target (nil when the
// caller's scope does not see it): it must be another team of t's
// municipality, and a SAPS team when t is one.
func CheckEscalationTeam(t Team, target *Team) error {
	if target == nil || target.Tenant != t.Tenant || target.ID == t.ID {
		return apperr.Invalid("team.escalation_team_id", "must be another team of the same municipality")
	}
	if t.IsSAPS && !target.IsSAPS {
		return apperr.Invalid("team.escalation_team_id", SAPSEscalationRule)
	}
	return nil
}

// LosesSAPS reports whether a change would make the SAPS team before a
// team that is not SAPS: then CheckStaysSAPS must pass.
func LosesSAPS(before Team, isSAPS bool) bool { return before.IsSAPS && !isSAPS }

// SAPSDependants are what depends on a SAPS team staying one: whether it
// holds or ever held a GBV ticket (every assignment in a GBV ticket's
// history names a SAPS team), and the other SAPS teams that escalate to it.
type SAPSDependants struct {
	HeldGBV    bool
	Escalating []string
}

// CheckStaysSAPS refuses to make the SAPS team before a team that is not
// SAPS while GBV tickets depend on it (d). where names the import feature
// that asks, if any.
func CheckStaysSAPS(before Team, d SAPSDependants, where string) error {
	if d.HeldGBV {
		return apperr.FailedPrecondition(fmt.Sprintf("%steam %q holds or has held GBV tickets, so it stays a SAPS team; "+
			"create a new team for other work", where, before.Name))
	}
	if len(d.Escalating) > 0 {
		return apperr.FailedPrecondition(fmt.Sprintf("%steam %q is the escalation team of the SAPS teams %q, so it stays "+
			"a SAPS team; give them another escalation team first", where, before.Name, d.Escalating))
	}
	return nil
}

// BecomesSAPSWithEscalation reports whether an import that sets isSAPS on
// the existing team t makes a SAPS team of one that escalates somewhere:
// then CheckImportedEscalation must pass.
func BecomesSAPSWithEscalation(t Team, isSAPS bool) bool {
	return isSAPS && !t.IsSAPS && t.EscalationTeamID != ""
}

// CheckImportedEscalation refuses an import (feature at path) that makes
// the existing team t a SAPS team while its escalation team target (nil
// when gone) is not one.
func CheckImportedEscalation(t Team, target *Team, path string) error {
	if target != nil && target.IsSAPS {
		return nil
	}
	return apperr.Invalid("is_saps", fmt.Sprintf("%s names team %q, whose escalation_team_id %s %s", path, t.Name,
		t.EscalationTeamID, SAPSEscalationRule))
}

// MayReassignTo refuses moving the ticket of assignment cur to team (with
// person personID, "" for none): the team must be an active team of the
// ticket's municipality, a SAPS team for a GBV ticket, and the person its
// manager or a member.
func MayReassignTo(cur Assignment, team Team, personID string) error {
	if team.Tenant != cur.Tenant {
		return ErrNotTeamOfTicket
	}
	if !team.Active {
		return apperr.FailedPrecondition(fmt.Sprintf("team %s is inactive", team.Name))
	}
	if cur.Category == word.CategoryGBV && !team.IsSAPSOf(cur.Tenant) {
		return apperr.Invalid("team_id", "a GBV ticket can only be assigned to a SAPS liaison team")
	}
	if personID == "" || personID == team.ManagerID {
		return nil
	}
	for _, m := range team.Members {
		if m.UserID == personID {
			return nil
		}
	}
	return apperr.Invalid("person_id", "must be a member or the manager of the team")
}

// ErrNotTeamOfTicket refuses a reassignment to a team the caller cannot
// see or of another municipality.
var ErrNotTeamOfTicket = apperr.Invalid("team_id", "must be a team of the ticket's municipality")

// Escalation is where an escalation goes: a team ("" for the triage
// queue) and a person, or the least-loaded member of the team when
// PickMember is set.
type Escalation struct {
	TeamID, PersonID string
	PickMember       bool
}

// EscalationOf decides where an escalation of cur goes, given cur's team
// (nil when cur waits in triage, which has no one above it) and that
// team's escalation team (nil when it names none, or one that is gone):
// the escalation team's manager, else its least-loaded member; without an
// escalation team, the own team's manager (or the team with no person).
//
// A GBV ticket never leaves SAPS hands, whatever the teams say: it goes to
// the escalation team only when that is a SAPS team of the ticket's
// municipality (teams are kept so, but a target may have been set by data
// older than that rule), else it stays with its SAPS team's manager. A GBV
// ticket on a team that is not a SAPS team (possible only in history older
// than the rule) is escalated to the triage queue, where only SAPS
// liaisons see it, rather than kept there.
func EscalationOf(cur Assignment, team, next *Team) Escalation {
	if team == nil {
		return Escalation{}
	}
	gbv := cur.Category == word.CategoryGBV
	if gbv && !team.IsSAPSOf(cur.Tenant) {
		return Escalation{}
	}
	if next == nil || (gbv && !next.IsSAPSOf(cur.Tenant)) {
		return Escalation{TeamID: team.ID, PersonID: team.ManagerID}
	}
	if next.ManagerID != "" {
		return Escalation{TeamID: next.ID, PersonID: next.ManagerID}
	}
	return Escalation{TeamID: next.ID, PickMember: true}
}
