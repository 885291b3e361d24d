package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// clockFeed is the caller of the feed of every municipality: a service
// token for all of them asks for it (notifications).
var clockFeed = access.System("sla-clock-feed")

// ListClockEvents returns the clock events after q's cursor, in feed order
// (see store.ClockEventsAfter), and the cursor to poll with next (internal
// RPC). A service token for one municipality reads that municipality's
// events; one for all of them reads every municipality's, as clockFeed. A
// malformed cursor is InvalidArgument.
func (a *App) ListClockEvents(ctx context.Context, q domain.FeedQuery) ([]domain.ClockEvent, string, error) {
	c, err := access.Check(ctx, access.Caller.RequireService)
	if err != nil {
		return nil, "", err
	}
	if err := q.Resolve(); err != nil {
		return nil, "", err
	}
	if c.OwnTenant() == "" {
		c = clockFeed
	}
	var out []domain.ClockEvent
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = store.ClockEventsAfter(ctx, tx, c.OwnTenant(), q.After, q.PageSize)
		return err
	})
	if err != nil {
		return nil, "", wrap("ListClockEvents", err)
	}
	next := q.After
	if len(out) > 0 {
		next = out[len(out)-1].Cursor
	}
	return out, next, nil
}
