package app

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// notifyFollowed records that the notification service must hear of n,
// an update of t its followers hear of too: n names the tickets whose
// reporters follow t now (none for GBV), so a follower added later hears
// nothing of it and one removed (an unlinked duplicate) nothing more.
func (a *App) notifyFollowed(ctx context.Context, tx pgx.Tx, t domain.Ticket, n domain.Notice) error {
	var err error
	if n.Followers, err = a.store.FollowerTickets(ctx, tx, t); err != nil {
		return err
	}
	return a.jobs.Notify(ctx, tx, n)
}

// FollowTicket makes the caller a follower of ticket id: any ticket of
// their municipality they could find nearby (a citizen need not have
// reported it), never a GBV ticket but for the SAPS liaison (NotFound, as
// for a missing id). A duplicate, or a finished ticket, is refused naming
// what to follow instead. Following again changes nothing. A citizen is
// reached, for the updates followers hear of (notifyFollowed), through
// their latest own report. The answer carries no content, so reads no GBV
// content to log.
func (a *App) FollowTicket(ctx context.Context, id string) (domain.NearbyTicket, int32, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.NearbyTicket{}, 0, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return domain.NearbyTicket{}, 0, err
	}
	var t domain.Ticket
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		// Every ticket of the municipality, not only the caller's own: a
		// resident follows someone else's report.
		v := domain.Visibility{AllTenants: c.AllTenants(), Tenant: c.OwnTenant(), GBV: c.CanSeeGBV()}
		if t, err = a.store.GetTicket(ctx, tx, id, v, store.ForUpdate); err != nil {
			return err
		}
		if t.DuplicateOf != "" {
			return apperr.FailedPrecondition(fmt.Sprintf("ticket %s is a duplicate of %s; follow that ticket instead", t.Reference, t.DuplicateOf))
		}
		if t.Status == word.StatusClosed || t.Status == word.StatusCancelled {
			return apperr.FailedPrecondition(fmt.Sprintf("ticket %s is %s and has no updates to follow", t.Reference, t.Status))
		}
		// A citizen hears of its updates as the reporter of their latest
		// report; staff have no contact notify could reach.
		contact := ""
		if c.IsCitizen() {
			if contact, err = a.store.LatestOwnReport(ctx, tx, t.Tenant, c.Subject(), t.ID); err != nil {
				return err
			}
		}
		now := a.timestamp()
		added, err := a.store.AddFollower(ctx, tx, t, c.Subject(), store.FollowSelf, contact, now)
		if err != nil || !added {
			return err
		}
		t.FollowerCount++
		if err := a.store.SaveCounts(ctx, tx, t); err != nil {
			return err
		}
		h := domain.HistoryEntry{Kind: domain.HistoryFollowed, Actor: c.Subject(), EventID: uuid.NewString(), CreateTime: now}
		_, err = a.store.AppendHistory(ctx, tx, t, h)
		return err
	})
	if err != nil {
		return domain.NearbyTicket{}, 0, wrap("FollowTicket", err)
	}
	return domain.NearbyTicket{ID: t.ID, Reference: t.Reference, Category: t.Category, Status: t.Status,
		Location: t.Location, LinkedCount: t.LinkedCount, CreateTime: t.CreateTime}, t.FollowerCount, nil
}
