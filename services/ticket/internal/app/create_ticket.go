package app

import (
	"bytes"
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// CreateTicket records a new report by the caller, a citizen or staff, in
// their own municipality. The ticket is returned at once; routing and SLA
// learn of it through jobs committed with it. With an idempotency key a
// retry within the window returns the first ticket; a reporter who may not
// read GBV content gets a receipt of a GBV ticket without it.
//
// It also returns the likely duplicates of the new ticket (LikelyDuplicates'
// list), looked up in the same transaction; none on a retry or for GBV.
func (a *App) CreateTicket(ctx context.Context, in domain.CreateInput) (domain.Ticket, []domain.NearbyTicket, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Ticket{}, nil, err
	}
	if err := in.Resolve(c); err != nil {
		return domain.Ticket{}, nil, err
	}
	// The look-up rides in the round trip of the ticket's own statements;
	// its answer counts once they are written (a retried key's first
	// ticket gets none, as before).
	var found store.NearbyResult
	var dups []domain.NearbyTicket
	near := func(b *pgx.Batch, t domain.Ticket) {
		found = store.NearbyResult{}
		a.queueLikelyDuplicates(b, c, t, &found)
	}
	written := func(context.Context, pgx.Tx, domain.Ticket) error {
		dups = found.Tickets
		return nil
	}
	t, err := a.create(ctx, c, in, in.Digest(), near, written)
	if err != nil {
		return domain.Ticket{}, nil, wrap("CreateTicket", err)
	}
	return t, dups, nil
}

// create stores a new ticket for the validated input in, reported by c,
// with its reference, its `created` history entry, what queue adds to the
// round trip of the ticket's own statements (after them; nil: nothing),
// what extra writes and the jobs for routing and SLA, in one transaction,
// and answers as domain.AnswerFor says. When c used in.IdempotencyKey
// within the window it creates nothing and answers with the first
// request's ticket.
func (a *App) create(ctx context.Context, c access.Caller, in domain.CreateInput, digest []byte,
	queue func(*pgx.Batch, domain.Ticket), extra func(context.Context, pgx.Tx, domain.Ticket) error) (domain.Ticket, error) {
	return a.createAs(ctx, c, "CreateTicket", in, digest, uuid.NewString(), queue, extra)
}

// createAs is create with the new ticket's id chosen by the caller (who
// sealed attachments to it before the transaction), answering for RPC
// action in the GBV access log.
func (a *App) createAs(ctx context.Context, c access.Caller, action string, in domain.CreateInput, digest []byte, id string,
	queue func(*pgx.Batch, domain.Ticket), extra func(context.Context, pgx.Tx, domain.Ticket) error) (domain.Ticket, error) {
	var t domain.Ticket
	var settings domain.DuplicateSettings
	// The municipality's priority keywords come with the BEGIN; the ticket,
	// its reference, the key's claim, the history entry and what queue adds
	// go out in one round trip; the three jobs in one insert right before
	// the COMMIT (pg.Deferred).
	first := func(b *pgx.Batch) { a.store.QueueDuplicateSettings(b, in.Tenant, &settings) }
	err := pg.InTxReading(ctx, a.pool, c.Scope(), first, func(tx pgx.Tx) error {
		now := a.timestamp()
		t = domain.NewTicket(in, id, "", c.Subject(), now)
		t.Suggest(settings.Keywords)
		h := t.CreatedEntry()
		h.EventID = uuid.NewString()
		var also func(*pgx.Batch)
		if queue != nil {
			also = func(b *pgx.Batch) { queue(b, t) }
		}
		if err := a.store.CreateTicket(ctx, tx, &t, h, in.IdempotencyKey, digest, also); err != nil {
			return err
		}
		if extra != nil {
			if err := extra(ctx, tx, t); err != nil {
				return err
			}
		}
		if err := a.jobs.TicketCreated(ctx, tx, t, h, t.CreatedNotice(h, in.Preferences)); err != nil {
			return err
		}
		if !c.CanSeeGBV() {
			return nil // the answer is a receipt without content
		}
		return a.logReads(ctx, tx, c, action, t)
	})
	if errors.Is(err, domain.ErrKeyTaken) {
		return a.retried(ctx, c, action, in, digest)
	}
	if err != nil {
		return domain.Ticket{}, err
	}
	return domain.AnswerFor(c, t), nil
}

// retried answers a create whose key c used before, within the window.
// Another request under the key (another digest) is AlreadyExists; the
// same request gets the first ticket as c may see it: in full, or as a
// receipt when it is a GBV ticket c may not read.
func (a *App) retried(ctx context.Context, c access.Caller, action string, in domain.CreateInput, digest []byte) (domain.Ticket, error) {
	var t domain.Ticket
	err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		hash, first, err := a.store.IdempotentRequest(ctx, tx, in.Tenant, c.Subject(), in.IdempotencyKey)
		if err != nil {
			return err
		}
		if hash != nil && !bytes.Equal(hash, digest) {
			return domain.ErrKeyReused
		}
		if first.IsGBV() && !c.CanSeeGBV() {
			t = first.Receipt()
			return nil
		}
		if t, err = a.store.GetTicket(ctx, tx, first.ID, domain.VisibilityOf(c), store.NoLock); err != nil {
			return err
		}
		return a.logReads(ctx, tx, c, action, t)
	})
	return t, err
}
