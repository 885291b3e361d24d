// Package app holds the SLA use cases: ticket events driving the clocks, the
// sweep, policy and calendar management with recomputation, and the queries.
// Each use case runs in one libs pg.InTx transaction, and every effect on
// another service is a River job inserted in that same transaction.
package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/jobs"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// JobInserter inserts River jobs inside a transaction; *river.Client is one.
type JobInserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// App is the SLA application.
type App struct {
	pool *pgxpool.Pool
	jobs JobInserter
	// Now is this replica's own clock. No time rule reads it: sweeps, rule
	// changes and reports take the database's clock (see now), the one every
	// replica shares; RunSweeps only compares the two to report drift.
	Now func() time.Time
	// Clock, when set, replaces the database's clock (tests move time with it).
	Clock func() time.Time
	// AfterSweptClock, when set, runs after each clock a sweep handles, inside
	// the sweep's transaction; an error aborts the batch like a crash would.
	AfterSweptClock func(n int) error
}

// New returns the application over pool, inserting jobs with inserter.
func New(pool *pgxpool.Pool, inserter JobInserter) *App {
	return &App{pool: pool, jobs: inserter, Now: time.Now}
}

// now is the time of a use case: the database's clock, read in its
// transaction, unless a test set Clock.
func (a *App) now(ctx context.Context, tx pgx.Tx) (time.Time, error) {
	if a.Clock != nil {
		return a.Clock().UTC(), nil
	}
	return store.Now(ctx, tx)
}

// SystemScope is the scope of the service's own background work: the sweep
// across every municipality.
var SystemScope = access.System("sla-sweep").Scope()

// CanSeeGBV reports whether a scope may read GBV clocks: the police liaison
// and other services only.
func CanSeeGBV(s pg.Scope) bool {
	return slices.Contains(s.Roles, auth.RoleSAPSLiaison) || slices.Contains(s.Roles, auth.RoleService)
}

// loadCalendars builds the given calendar versions; unknown ones are left
// out and so run 24x7.
func loadCalendars(ctx context.Context, tx pgx.Tx, refs ...domain.CalendarRef) (domain.Calendars, error) {
	cals := domain.Calendars{}
	for _, ref := range refs {
		if _, done := cals[ref]; done || ref.ID == "" {
			continue
		}
		v, err := store.GetCalendarVersion(ctx, tx, ref)
		if errors.Is(err, store.ErrNotFound) {
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
	refs := []domain.CalendarRef{p.CalendarRef()}
	for _, c := range clocks {
		refs = append(refs, c.Calendar())
	}
	return loadCalendars(ctx, tx, refs...)
}

// resolvePolicy applies the lookup order for a (municipality, category) and
// names the version of its calendar in force now.
func resolvePolicy(ctx context.Context, tx pgx.Tx, municipality, category string) (domain.Policy, error) {
	cands, err := store.PolicyCandidates(ctx, tx, municipality, category)
	if err != nil {
		return domain.Policy{}, err
	}
	p := domain.ChoosePolicy(municipality, category, cands)
	if id := p.CalendarID(); id != "" {
		v, err := store.CurrentCalendarVersion(ctx, tx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return domain.Policy{}, err
		}
		p.CalendarVersion = v
	}
	return p, nil
}

// mirrorDeadlines enqueues the ticket's current deadlines for the ticket
// service under the next revision.
func (a *App) mirrorDeadlines(ctx context.Context, tx pgx.Tx, tenant, ticketID string) error {
	rev, err := store.NextDeadlineRevision(ctx, tx, ticketID)
	if err != nil {
		return err
	}
	clocks, err := store.TicketClocks(ctx, tx, ticketID)
	if err != nil {
		return err
	}
	resp, res := domain.Deadlines(clocks)
	args := jobs.RecordDeadlinesArgs{Tenant: tenant, TicketID: ticketID, Revision: rev}
	if !resp.IsZero() {
		args.ResponseDeadline = &resp
	}
	if !res.IsZero() {
		args.ResolutionDeadline = &res
	}
	if _, err := a.jobs.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("app.mirrorDeadlines: InsertTx: %w", err)
	}
	return nil
}

// notFound turns the store's ErrNotFound into the caller-facing error.
func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound(what)
	}
	return err
}
