package app

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// LinkDuplicate closes l's child as a duplicate of its parent (staff), as
// domain.DecideLink rules, under both rows' locks taken in id order, so
// that of two links of one child at once the second finds it linked and is
// refused naming the parent. The child's `duplicate_linked` entry is a
// status change to closed: SLA stops its clocks, routing takes it off the
// queues, the reporter is told. Its reporter follows the parent, whose
// count, history and suggested priority follow.
func (a *App) LinkDuplicate(ctx context.Context, l domain.Link) (domain.Ticket, domain.Ticket, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Ticket{}, domain.Ticket{}, err
	}
	if err := l.Validate(); err != nil {
		return domain.Ticket{}, domain.Ticket{}, err
	}
	if err := domain.MayLink(c); err != nil {
		return domain.Ticket{}, domain.Ticket{}, err
	}
	var child, parent domain.Ticket
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		if child, parent, err = a.lockPair(ctx, tx, c, l.ChildID, l.ParentID); err != nil {
			return err
		}
		if err := domain.DecideLink(c, child, parent); err != nil {
			return err
		}
		if child, parent, err = a.applyLink(ctx, tx, c.Subject(), child, parent, l.Reason); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, "LinkDuplicate", child, parent)
	})
	if err != nil {
		return domain.Ticket{}, domain.Ticket{}, wrap("LinkDuplicate", err)
	}
	return domain.Redact(c, child), domain.Redact(c, parent), nil
}

// applyLink closes child as a duplicate of parent (both locked, the link
// decided) for actor: the child's `duplicate_linked` entry is a status
// change to closed, with its jobs; the parent counts it (touchParent).
func (a *App) applyLink(ctx context.Context, tx pgx.Tx, actor string, child, parent domain.Ticket, reason string) (domain.Ticket, domain.Ticket, error) {
	now := a.timestamp()
	from := child.Status
	child.PreDuplicateStatus, child.Status, child.DuplicateOf = from, word.StatusClosed, parent.ID
	child.CloseTime, child.UpdateTime = &now, now
	h := domain.HistoryEntry{TicketID: child.ID, Kind: domain.HistoryDuplicateLinked, Actor: actor,
		From: from, To: word.StatusClosed, Reason: reason, Detail: "duplicate of " + parent.Reference + " " + parent.ID,
		EventID: uuid.NewString(), CreateTime: now}
	var err error
	if h.Sequence, err = a.store.SaveDuplicate(ctx, tx, child); err != nil {
		return child, parent, err
	}
	if err := a.store.InsertHistory(ctx, tx, child, h); err != nil {
		return child, parent, err
	}
	if err := a.jobs.StatusChanged(ctx, tx, child, h); err != nil {
		return child, parent, err
	}
	if err := a.jobs.Notify(ctx, tx, child.StatusNotice(h)); err != nil {
		return child, parent, err
	}
	parent.LinkedCount++
	parent, err = a.touchParent(ctx, tx, actor, parent, child, domain.HistoryDuplicateAdded, reason, now)
	return child, parent, err
}

// lockPair reads tickets a and b as c may see them, locking both rows in
// id order (so two links over one pair never deadlock).
func (a *App) lockPair(ctx context.Context, tx pgx.Tx, c access.Caller, idA, idB string) (domain.Ticket, domain.Ticket, error) {
	first, second := idA, idB
	if second < first {
		first, second = second, first
	}
	v := domain.VisibilityOf(c)
	t1, err := a.store.GetTicket(ctx, tx, first, v, store.ForUpdate)
	if err != nil {
		return domain.Ticket{}, domain.Ticket{}, err
	}
	t2, err := a.store.GetTicket(ctx, tx, second, v, store.ForUpdate)
	if err != nil {
		return domain.Ticket{}, domain.Ticket{}, err
	}
	if first == idA {
		return t1, t2, nil
	}
	return t2, t1, nil
}

// touchParent records on parent (its linked count already changed) that
// child was linked or unlinked (kind), by actor: the child's reporter follows
// it or no longer does, the entry is appended, and the rule's priority is
// suggested again (changing the priority, with its entry and SLA event,
// unless staff set it).
func (a *App) touchParent(ctx context.Context, tx pgx.Tx, actor string, parent, child domain.Ticket, kind, reason string, now time.Time) (domain.Ticket, error) {
	if child.ReporterSubject != "" && child.ReporterSubject != parent.ReporterSubject {
		var changed bool
		var err error
		if kind == domain.HistoryDuplicateAdded {
			if changed, err = a.store.AddFollower(ctx, tx, parent, child.ReporterSubject, store.FollowDuplicate, child.ID, now); changed {
				parent.FollowerCount++
			}
		} else if changed, err = a.store.RemoveFollower(ctx, tx, parent, child.ReporterSubject, store.FollowDuplicate); changed {
			parent.FollowerCount--
		}
		if err != nil {
			return parent, err
		}
	}
	if err := a.store.SaveCounts(ctx, tx, parent); err != nil {
		return parent, err
	}
	h := domain.HistoryEntry{Kind: kind, Actor: actor, Reason: reason, Detail: child.Reference + " " + child.ID,
		EventID: uuid.NewString(), CreateTime: now}
	if _, err := a.store.AppendHistory(ctx, tx, parent, h); err != nil {
		return parent, err
	}
	parent.UpdateTime = now
	s, err := a.store.GetDuplicateSettings(ctx, tx, parent.Tenant)
	if err != nil {
		return parent, err
	}
	from := parent.Priority
	if !parent.Suggest(s.Keywords) {
		return parent, a.store.SavePriority(ctx, tx, parent)
	}
	return parent, a.changePriority(ctx, tx, parent, from, domain.ActorSystem, "linked reports: "+strconv.Itoa(int(parent.LinkedCount)), now)
}

// changePriority saves t's new priority (from before), appends its
// `priority_changed` entry by actor and records the SLA event.
func (a *App) changePriority(ctx context.Context, tx pgx.Tx, t domain.Ticket, from domain.Priority, actor, reason string, now time.Time) error {
	if err := a.store.SavePriority(ctx, tx, t); err != nil {
		return err
	}
	h := domain.PriorityEntry(t, from, actor, reason)
	h.EventID, h.CreateTime = uuid.NewString(), now
	h, err := a.store.AppendHistory(ctx, tx, t, h)
	if err != nil {
		return err
	}
	return a.jobs.PriorityChanged(ctx, tx, t, h)
}
