package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// errKeyTaken rolls back a create whose idempotency key the caller already
// used within the window.
var errKeyTaken = errors.New("idempotency key taken")

// claimKey records, in the transaction creating ticket t, that the caller's
// key stands for this request (its digest) for domain.IdempotencyWindow. A
// claim of the same key that has expired is deleted first; a live one
// fails the insert with errKeyTaken, after the transaction holding it
// commits. (An upsert would not do: it would not roll back the ticket.)
func claimKey(ctx context.Context, tx pgx.Tx, v domain.Viewer, t domain.Ticket, key string, digest []byte) error {
	if key == "" {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM ticket.idempotency_keys
		WHERE tenant = $1 AND subject = $2 AND key = $3 AND create_time <= $4`,
		t.Tenant, v.Subject, key, t.CreateTime.Add(-domain.IdempotencyWindow)); err != nil {
		return fmt.Errorf("delete expired key: %w", err)
	}
	_, err := tx.Exec(ctx, `INSERT INTO ticket.idempotency_keys (tenant, subject, key, request_hash, ticket_id, create_time)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.Tenant, v.Subject, key, digest, t.ID, t.CreateTime)
	if pg.IsUniqueViolation(err) {
		return errKeyTaken
	}
	if err != nil {
		return fmt.Errorf("insert idempotency key: %w", err)
	}
	return nil
}

// retryResult answers a create whose key the caller used before, within the
// window. Another request under the key (another digest) is AlreadyExists;
// the same request gets the first ticket as the caller may see it: in full,
// or as a receipt when it is a GBV ticket and the caller does not read GBV.
// Keys from before migration 00009 have no digest and match any request.
func (s *Store) retryResult(ctx context.Context, v domain.Viewer, in domain.CreateInput, digest []byte) (domain.Ticket, error) {
	var (
		r    domain.Ticket
		hash []byte
	)
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		var cat, status, ch string
		err := tx.QueryRow(ctx, `SELECT r_hash, r_id::text, r_reference, r_category, r_status, r_reporter_subject,
				r_channel, r_create_time
			FROM ticket.idempotent_request($1, $2, $3)`, in.Tenant, v.Subject, in.IdempotencyKey).
			Scan(&hash, &r.ID, &r.Reference, &cat, &status, &r.ReporterSubject, &ch, &r.CreateTime)
		r.Tenant, r.Category, r.Status, r.Channel = in.Tenant, domain.Category(cat), domain.Status(status), domain.Channel(ch)
		utc(&r.CreateTime)
		return err
	})
	if pg.IsNoRows(err) {
		// The claim went between the failed insert and this read (expired
		// and swept): the request may simply be sent again.
		return domain.Ticket{}, apperr.FailedPrecondition("idempotency key conflict; retry the request")
	}
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("store.Create: idempotent request: %w", err)
	}
	if hash != nil && !bytes.Equal(hash, digest) {
		return domain.Ticket{}, apperr.AlreadyExists(fmt.Sprintf(
			"idempotency_key was already used for a different request in the last %d hours; send a new key for a new request",
			int(domain.IdempotencyWindow.Hours())))
	}
	if r.IsGBV() && !v.ReadsGBV() {
		return r.Receipt(), nil
	}
	t, err := s.Get(ctx, v, r.ID, "CreateTicket")
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("store.Create: %w", err)
	}
	return t, nil
}

// keySweepBatch is how many expired keys one statement of DeleteExpiredKeys
// deletes, so a large backlog never holds long locks.
const keySweepBatch = 10000

// DeleteExpiredKeys deletes idempotency keys older than the window, of every
// tenant, and returns how many. The service runs it periodically; a key used
// again after the window is also deleted when it is claimed anew.
func (s *Store) DeleteExpiredKeys(ctx context.Context) (int64, error) {
	sweeper := domain.Viewer{Subject: "ticket", Tenant: "*", Roles: []string{domain.RoleService}}
	before := s.timestamp().Add(-domain.IdempotencyWindow)
	var total int64
	for {
		var n int64
		err := s.inTx(ctx, sweeper, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `DELETE FROM ticket.idempotency_keys WHERE (tenant, subject, key) IN (
				SELECT tenant, subject, key FROM ticket.idempotency_keys WHERE create_time <= $1 LIMIT $2)`,
				before, keySweepBatch)
			n = tag.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("store.DeleteExpiredKeys: %w", err)
		}
		total += n
		if n < keySweepBatch {
			return total, nil
		}
	}
}
