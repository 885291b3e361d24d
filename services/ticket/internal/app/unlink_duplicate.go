package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// UnlinkDuplicate undoes LinkDuplicate (staff): the child returns to the
// status it had, and its `duplicate_unlinked` entry is a status change from
// closed back to it, so SLA runs its clocks again from now with the time
// they had counted; the parent's count drops and the child's reporter no
// longer follows it (unless they followed it themselves).
func (a *App) UnlinkDuplicate(ctx context.Context, id, reason string) (domain.Ticket, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Ticket{}, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return domain.Ticket{}, err
	}
	reason = strings.TrimSpace(reason)
	if rule := domain.TextRule(reason, domain.MaxReason, false); rule != "" {
		return domain.Ticket{}, apperr.Invalid("reason", rule)
	}
	if err := domain.MayLink(c); err != nil {
		return domain.Ticket{}, err
	}
	var child domain.Ticket
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		seen, err := a.store.GetTicket(ctx, tx, id, domain.VisibilityOf(c), store.NoLock)
		if err != nil {
			return err
		}
		if err := domain.MayChange(c, seen); err != nil {
			return err
		}
		if seen.DuplicateOf == "" {
			return apperr.FailedPrecondition(fmt.Sprintf("ticket %s is not a duplicate", seen.Reference))
		}
		var parent domain.Ticket
		if child, parent, err = a.lockPair(ctx, tx, c, id, seen.DuplicateOf); err != nil {
			return err
		}
		if child.DuplicateOf != parent.ID {
			// Unlinked by someone else since the first read.
			return apperr.FailedPrecondition(fmt.Sprintf("ticket %s was unlinked or linked again meanwhile; read it and try again", child.Reference))
		}
		now := a.timestamp()
		to := child.PreDuplicateStatus
		if to == "" {
			to = word.StatusOpen
		}
		child.Status, child.DuplicateOf, child.PreDuplicateStatus, child.CloseTime, child.UpdateTime = to, "", "", nil, now
		h := domain.HistoryEntry{TicketID: child.ID, Kind: domain.HistoryDuplicateUnlinked, Actor: c.Subject(),
			From: word.StatusClosed, To: to, Reason: reason, Detail: "no longer a duplicate of " + parent.Reference + " " + parent.ID,
			EventID: uuid.NewString(), CreateTime: now}
		if h.Sequence, err = a.store.SaveDuplicate(ctx, tx, child); err != nil {
			return err
		}
		if err := a.store.InsertHistory(ctx, tx, child, h); err != nil {
			return err
		}
		if err := a.jobs.StatusChanged(ctx, tx, child, h); err != nil {
			return err
		}
		if err := a.jobs.Notify(ctx, tx, child.StatusNotice(h)); err != nil {
			return err
		}
		parent.LinkedCount--
		if _, err := a.touchParent(ctx, tx, c.Subject(), parent, child, domain.HistoryDuplicateRemoved, reason, now); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "UnlinkDuplicate", child)
	})
	if err != nil {
		return domain.Ticket{}, wrap("UnlinkDuplicate", err)
	}
	return domain.Redact(c, child), nil
}
