package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/seal"
)

// sealLegacyTickets moves the plaintext address and cancel reason of up to
// legacyBatch GBV tickets with ids after after into their sealed content,
// returning the cursor after the last row and how many rows it read.
func (s *Store) sealLegacyTickets(ctx context.Context, tx pgx.Tx, after *legacyCursor) (*legacyCursor, int, error) {
	type row struct {
		id, tenant, address, cancel string
		sd                          seal.Sealed
	}
	id, _ := after.args()
	rows, err := tx.Query(ctx, `SELECT id::text, tenant, address, cancel_reason, sealed, sealed_key_id, sealed_nonce
		FROM ticket.tickets WHERE category = 'gbv' AND (address <> '' OR cancel_reason <> '')
			AND ($1::uuid IS NULL OR id > $1::uuid)
		ORDER BY id LIMIT $2 FOR UPDATE`, id, legacyBatch)
	if err != nil {
		return after, 0, fmt.Errorf("select tickets: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.tenant, &x.address, &x.cancel, &x.sd.Ciphertext, &x.sd.KeyID, &x.sd.Nonce)
		return x, err
	})
	if err != nil {
		return after, 0, fmt.Errorf("scan tickets: %w", err)
	}
	for _, x := range rs {
		c, err := s.openContent(x.tenant, x.id, x.sd)
		if err != nil {
			return after, 0, err
		}
		c.Address, c.CancelReason = x.address, x.cancel
		sd, err := s.sealDoc(x.tenant, x.id, c)
		if err != nil {
			return after, 0, err
		}
		if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET address = '', cancel_reason = '',
			sealed = $2, sealed_key_id = $3, sealed_nonce = $4 WHERE id = $1`, x.id, sd.Ciphertext, sd.KeyID, sd.Nonce); err != nil {
			return after, 0, fmt.Errorf("update ticket: %w", err)
		}
		after = &legacyCursor{id: x.id}
	}
	return after, len(rs), nil
}

// sealLegacyHistory seals the reason and detail of up to legacyBatch GBV
// history entries written in plain text, after the entry key after.
func (s *Store) sealLegacyHistory(ctx context.Context, tx pgx.Tx, after *legacyCursor) (*legacyCursor, int, error) {
	type row struct {
		ticketID, tenant string
		seq              int64
		text             historyText
	}
	id, seq := after.args()
	rows, err := tx.Query(ctx, `SELECT ticket_id::text, sequence, tenant, reason, detail FROM ticket.history
		WHERE gbv AND sealed IS NULL AND ($1::uuid IS NULL OR (ticket_id, sequence) > ($1::uuid, $2))
		ORDER BY ticket_id, sequence LIMIT $3 FOR UPDATE`, id, seq, legacyBatch)
	if err != nil {
		return after, 0, fmt.Errorf("select history: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.ticketID, &x.seq, &x.tenant, &x.text.Reason, &x.text.Detail)
		return x, err
	})
	if err != nil {
		return after, 0, fmt.Errorf("scan history: %w", err)
	}
	for _, x := range rs {
		sd, err := s.sealHistory(x.tenant, x.ticketID, x.seq, x.text)
		if err != nil {
			return after, 0, err
		}
		if _, err := tx.Exec(ctx, `UPDATE ticket.history SET reason = '', detail = '',
			sealed = $3, sealed_key_id = $4, sealed_nonce = $5 WHERE ticket_id = $1 AND sequence = $2`,
			x.ticketID, x.seq, sd.Ciphertext, sd.KeyID, sd.Nonce); err != nil {
			return after, 0, fmt.Errorf("update history: %w", err)
		}
		after = &legacyCursor{id: x.ticketID, seq: x.seq}
	}
	return after, len(rs), nil
}

// sealLegacyNotes seals the bodies of up to legacyBatch GBV notes written
// in plain text (before migration 00004), after note id after.
func (s *Store) sealLegacyNotes(ctx context.Context, tx pgx.Tx, after *legacyCursor) (*legacyCursor, int, error) {
	type row struct{ id, ticketID, tenant, body string }
	id, _ := after.args()
	rows, err := tx.Query(ctx, `SELECT id::text, ticket_id::text, tenant, body FROM ticket.notes
		WHERE gbv AND sealed IS NULL AND ($1::uuid IS NULL OR id > $1::uuid)
		ORDER BY id LIMIT $2 FOR UPDATE`, id, legacyBatch)
	if err != nil {
		return after, 0, fmt.Errorf("select notes: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.ticketID, &x.tenant, &x.body)
		return x, err
	})
	if err != nil {
		return after, 0, fmt.Errorf("scan notes: %w", err)
	}
	for _, x := range rs {
		sd, err := s.keys.Seal([]byte(x.body), noteAAD(x.tenant, x.ticketID, x.id))
		if err != nil {
			return after, 0, err
		}
		if _, err := tx.Exec(ctx, `UPDATE ticket.notes SET body = '', sealed = $2, sealed_key_id = $3, sealed_nonce = $4
			WHERE id = $1`, x.id, sd.Ciphertext, sd.KeyID, sd.Nonce); err != nil {
			return after, 0, fmt.Errorf("update note: %w", err)
		}
		after = &legacyCursor{id: x.id}
	}
	return after, len(rs), nil
}
