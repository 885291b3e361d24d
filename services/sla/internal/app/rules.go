package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// loadCalendars builds the given calendar versions; unknown ones are left
// out and so run 24x7.
func loadCalendars(ctx context.Context, tx pgx.Tx, refs ...domain.CalendarRef) (domain.Calendars, error) {
	cals := domain.Calendars{}
	for _, ref := range refs {
		if _, done := cals[ref]; done || ref.ID == "" {
			continue
		}
		v, err := store.GetCalendarVersion(ctx, tx, ref)
		if errors.Is(err, domain.ErrVersionMissing) {
			continue
		}
		if err != nil {
			return nil, err
		}
		cal, err := v.Spec.Build()
		if err != nil {
			return nil, fmt.Errorf("app.loadCalendars: %w", err)
		}
		cals[ref] = cal
	}
	return cals, nil
}

// clockCalendars loads the calendar versions of clocks and of policy p.
func clockCalendars(ctx context.Context, tx pgx.Tx, p domain.Policy, clocks ...domain.Clock) (domain.Calendars, error) {
	return loadCalendars(ctx, tx, append([]domain.CalendarRef{p.CalendarRef()}, domain.CalendarRefs(clocks...)...)...)
}

// resolvePolicy applies the lookup order for a (municipality, category) and
// names the version of its calendar in force now.
func resolvePolicy(ctx context.Context, tx pgx.Tx, municipality, category, priority string) (domain.Policy, error) {
	cands, err := store.PolicyCandidates(ctx, tx, municipality, category, priority)
	if err != nil {
		return domain.Policy{}, err
	}
	p := domain.ChoosePolicy(municipality, category, priority, cands)
	if id := p.CalendarID(); id != "" {
		v, err := store.CurrentCalendarVersion(ctx, tx, id)
		if err != nil && !errors.Is(err, domain.ErrCalendarNotFound) {
			return domain.Policy{}, err
		}
		p.CalendarVersion = v
	}
	return p, nil
}

// mirrorDeadlines records the ticket's current deadlines for the ticket
// service under the next revision.
func (a *App) mirrorDeadlines(ctx context.Context, tx pgx.Tx, tenant, ticketID string) error {
	rev, clocks, err := store.MirrorInputs(ctx, tx, ticketID)
	if err != nil {
		return err
	}
	return a.jobs.Deadlines(ctx, tx, domain.MirrorOf(tenant, ticketID, rev, clocks))
}
