package app

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// ReporterView is what a reporter's preferences read shows: never the
// contact itself.
type ReporterView struct {
	Preferences domain.Preferences
	// Reachable are the channels the reporter gave an address for.
	Reachable []domain.Channel
	// OptedOut are those of them the address opted out of.
	OptedOut []domain.Channel
}

// GetReporterPreferences returns how a ticket's reporter wants to hear
// about it: the reporter's own account, or staff; a GBV reporter's only for
// the SAPS liaison (row-level security and the query hide it from anyone
// else, who gets NotFound).
func (a *App) GetReporterPreferences(ctx context.Context, ticketID string) (ReporterView, error) {
	var out ReporterView
	c, err := caller(ctx, access.Caller.RequirePerson)
	if err != nil {
		return out, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return out, err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		r, err := a.reporterFor(ctx, tx, c, ticketID, false)
		if err != nil {
			return err
		}
		out, err = a.view(ctx, tx, r)
		return err
	})
	return out, wrap("GetReporterPreferences", err)
}

// UpdateReporterPreferences replaces them as domain.DecidePreferences
// rules: a GBV reporter's safe channel can only be switched off.
func (a *App) UpdateReporterPreferences(ctx context.Context, ticketID string, p domain.Preferences) (ReporterView, error) {
	var out ReporterView
	c, err := caller(ctx, access.Caller.RequirePerson)
	if err != nil {
		return out, err
	}
	if err := domain.CheckID(ticketID, "ticket_id"); err != nil {
		return out, err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		r, err := a.reporterFor(ctx, tx, c, ticketID, true)
		if err != nil {
			return err
		}
		if r.Preferences, err = domain.DecidePreferences(c, r, p); err != nil {
			return err
		}
		if err := a.Store.SetPreferences(ctx, tx, ticketID, r.Preferences, a.timestamp()); err != nil {
			return err
		}
		out, err = a.view(ctx, tx, r)
		return err
	})
	return out, wrap("UpdateReporterPreferences", err)
}

// reporterFor returns the reporter of ticketID if c may see them, else
// NotFound, as for a ticket without one.
func (a *App) reporterFor(ctx context.Context, tx pgx.Tx, c access.Caller, ticketID string, lock bool) (domain.Reporter, error) {
	r, err := a.Store.GetReporter(ctx, tx, ticketID, domain.VisibilityOf(c), lock)
	if errors.Is(err, domain.ErrReporterNotFound) || (err == nil && !r.MaySee(c)) {
		return r, domain.ErrReporterNotFound
	}
	return r, err
}

// view is what the reporter r's preferences read shows.
func (a *App) view(ctx context.Context, tx pgx.Tx, r domain.Reporter) (ReporterView, error) {
	v := ReporterView{Preferences: r.Preferences, Reachable: r.Contact.Reachable()}
	for _, ch := range v.Reachable {
		out, err := a.Store.OptedOut(ctx, tx, r.Tenant, ch, a.Links.AddressHash(r.Tenant, ch, r.Contact.Address(ch)))
		if err != nil {
			return v, err
		}
		if out {
			v.OptedOut = append(v.OptedOut, ch)
		}
	}
	return v, nil
}
