package app

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// ruleChange says which open clocks a change may touch: those on a policy
// or a calendar, or of a (municipality, category) ("" for all).
type ruleChange struct {
	configID, calendarID   string
	municipality, category string
}

// recompute moves the open clocks the change may touch onto the rules in
// force from now: each is checkpointed at now with the rules it ran under
// (its own calendar version and policy), and only the rest is measured with
// the policy it now resolves to and that policy's current calendar version.
// Time already counted is never measured again. Clocks whose rules did not
// change are left alone; met clocks are history.
func (a *App) recompute(ctx context.Context, tx pgx.Tx, now time.Time, ch ruleChange) (int, error) {
	clocks, err := store.LockOpenClocks(ctx, tx, ch.configID, ch.calendarID, ch.municipality, ch.category, ch.configID != "")
	if err != nil {
		return 0, err
	}
	reason := domain.SegmentPolicyChanged
	if ch.calendarID != "" {
		reason = domain.SegmentCalendarChanged
	}
	policies := map[[3]string]domain.Policy{}
	touched := map[string]string{} // ticket -> tenant
	n := 0
	for _, c := range clocks {
		key := [3]string{c.Tenant, c.Category, c.Priority}
		p, ok := policies[key]
		if !ok {
			if p, err = resolvePolicy(ctx, tx, c.Tenant, c.Category, c.Priority); err != nil {
				return 0, err
			}
			policies[key] = p
		}
		if p.Config.ID == c.ConfigID && p.Config.Version == c.ConfigVersion && p.CalendarRef() == c.Calendar() {
			continue
		}
		cals, err := clockCalendars(ctx, tx, p, c)
		if err != nil {
			return 0, err
		}
		c.Checkpoint(now, cals.Of(c.Calendar()), reason)
		if !c.Reschedule(p, cals.Of(p.CalendarRef())) {
			continue
		}
		if err := store.SaveClock(ctx, tx, c); err != nil {
			return 0, err
		}
		touched[c.TicketID] = c.Tenant
		n++
	}
	// In ticket order, so concurrent changes lock the tickets' rows alike.
	for _, ticket := range slices.Sorted(maps.Keys(touched)) {
		if err := a.mirrorDeadlines(ctx, tx, touched[ticket], ticket); err != nil {
			return 0, err
		}
		if err := a.refreshReport(ctx, tx, ticket, nil); err != nil {
			return 0, err
		}
	}
	return n, nil
}
