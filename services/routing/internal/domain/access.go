package domain

import (
	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/vocab/word"
)

// Who may do what in routing is libs/access's: municipalities are managed
// by platform admins (RequirePlatformAdmin), teams by municipal or
// platform admins (RequireAdmin), teams, queues and routing explanations
// are read by staff and services (RequireStaffOrService, RequireStaff),
// and tickets are moved by hand by supervisors (RequireSupervisor). The
// rule below is routing's own, on top of those.

// MayTouch refuses c the ticket of assignment cur when it is a GBV ticket
// and c may not act on GBV (anyone but the tenant's SAPS liaison): for
// them it does not exist, the same NotFound as a missing id.
func MayTouch(c access.Caller, cur Assignment) error {
	if cur.Category == word.CategoryGBV && !c.CanActOnGBV() {
		return ErrTicketNotFound
	}
	return nil
}
