package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// disclose readies assignments for an answer to c through action: it opens
// their sealed notes (the queries leave GBV out for anyone who may not read
// them) and, when any had one, records in tx the answer's entries of the
// GBV access log (domain.Disclosures), one per tenant. The answer and its
// log entries commit together, or neither does. Every use case that
// returns assignments passes them through here, and nothing else opens a
// note.
func (a *App) disclose(ctx context.Context, tx pgx.Tx, c access.Caller, action string, as ...*domain.Assignment) error {
	for _, asg := range as {
		if err := a.store.OpenNote(asg); err != nil {
			return err
		}
	}
	reader := domain.Reader{Subject: c.Subject(), Roles: c.Roles()}
	for _, d := range domain.Disclosures(reader, action, a.now().UTC(), uuid.NewString, as...) {
		if err := a.jobs.GBVDisclosed(ctx, tx, d); err != nil {
			return err
		}
	}
	return nil
}

// discloseQueue is disclose for the current assignments of queued tickets.
func (a *App) discloseQueue(ctx context.Context, tx pgx.Tx, c access.Caller, action string, qs []domain.QueuedTicket) error {
	as := make([]*domain.Assignment, len(qs))
	for i := range qs {
		as[i] = &qs[i].Assignment
	}
	return a.disclose(ctx, tx, c, action, as...)
}
