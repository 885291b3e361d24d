package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// queueClaim adds to b the claim, in the transaction creating ticket t,
// that its reporter's key stands for this request (its digest) for
// domain.IdempotencyWindow; readClaim reads its results. A claim of the
// same key that has expired is deleted first; a live one fails the insert
// with domain.ErrKeyTaken, after the transaction holding it commits. (An
// upsert would not do: it would not roll back the ticket.)
func queueClaim(b *pgx.Batch, t domain.Ticket, key string, digest []byte) {
	b.Queue(`DELETE FROM ticket.idempotency_keys
		WHERE tenant = $1 AND subject = $2 AND key = $3 AND create_time <= $4`,
		t.Tenant, t.ReporterSubject, key, t.CreateTime.Add(-domain.IdempotencyWindow))
	b.Queue(`INSERT INTO ticket.idempotency_keys (tenant, subject, key, request_hash, ticket_id, create_time)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.Tenant, t.ReporterSubject, key, digest, t.ID, t.CreateTime)
}

func readClaim(br pgx.BatchResults) error {
	if _, err := br.Exec(); err != nil {
		return fmt.Errorf("store.CreateTicket: delete expired key: %w", err)
	}
	_, err := br.Exec()
	if pg.IsUniqueViolation(err) {
		return domain.ErrKeyTaken
	}
	if err != nil {
		return fmt.Errorf("store.CreateTicket: claim key: %w", err)
	}
	return nil
}

// IdempotentRequest returns the digest of the request subject's key stood
// for in tenant (nil for keys from before migration 00009, which match any
// request) and the identity of the ticket it created, without content: a
// receipt. It reads past the GBV wall (ticket.idempotent_request), never
// past the tenant wall or to another caller's key. A key gone since its
// claim failed is domain.ErrKeyGone.
func (s *Store) IdempotentRequest(ctx context.Context, tx pgx.Tx, tenant, subject, key string) ([]byte, domain.Ticket, error) {
	var (
		r               domain.Ticket
		hash            []byte
		cat, status, ch string
	)
	err := tx.QueryRow(ctx, `SELECT r_hash, r_id::text, r_reference, r_category, r_status, r_reporter_subject,
			r_channel, r_create_time
		FROM ticket.idempotent_request($1, $2, $3)`, tenant, subject, key).
		Scan(&hash, &r.ID, &r.Reference, &cat, &status, &r.ReporterSubject, &ch, &r.CreateTime)
	if pg.IsNoRows(err) {
		return nil, r, domain.ErrKeyGone
	}
	if err != nil {
		return nil, r, fmt.Errorf("store.IdempotentRequest: %w", err)
	}
	r.Tenant, r.Category, r.Status, r.Channel = tenant, domain.Category(cat), domain.Status(status), domain.Channel(ch)
	utc(&r.CreateTime)
	r.UpdateTime = r.CreateTime
	return hash, r, nil
}

// DeleteExpiredKeys deletes up to limit idempotency keys created at or
// before before, of every tenant the scope sees, and returns how many.
func (s *Store) DeleteExpiredKeys(ctx context.Context, tx pgx.Tx, before time.Time, limit int) (int64, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM ticket.idempotency_keys WHERE (tenant, subject, key) IN (
		SELECT tenant, subject, key FROM ticket.idempotency_keys WHERE create_time <= $1 LIMIT $2)`, before, limit)
	if err != nil {
		return 0, fmt.Errorf("store.DeleteExpiredKeys: %w", err)
	}
	return tag.RowsAffected(), nil
}
