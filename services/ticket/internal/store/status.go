package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// StatusMove is a decided status change.
type StatusMove struct {
	// To is the new status.
	To domain.Status
	// Reason is recorded in the history (and as cancel_reason on cancel).
	Reason string
	// FirstResponse marks staff's first move out of open.
	FirstResponse bool
}

// Decide inspects the locked, current ticket and returns the move to make or
// a domain error refusing it.
type Decide func(t domain.Ticket) (StatusMove, error)

// UpdateStatus locks ticket id (as the viewer sees it), lets decide rule on
// the move, applies it with a `status_changed` history entry, runs hook and
// logs the read of a GBV ticket, all in one transaction.
func (s *Store) UpdateStatus(ctx context.Context, v domain.Viewer, id string, decide Decide, hook Hook) (domain.Ticket, error) {
	var t domain.Ticket
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		var err error
		t, err = s.getTx(ctx, tx, v, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		m, err := decide(t)
		if err != nil {
			return err
		}
		now := s.timestamp()
		from := t.Status
		applyMove(&t, m, now)
		// A GBV ticket's content is sealed again with the cancel reason in
		// it; the NULLs below keep the sealed columns of other tickets.
		var sealed, nonce []byte
		var keyID *string
		if t.IsGBV() {
			sd, err := s.sealContent(t)
			if err != nil {
				return err
			}
			sealed, nonce, keyID = sd.Ciphertext, sd.Nonce, &sd.KeyID
		}
		var seq int64
		err = tx.QueryRow(ctx, `UPDATE ticket.tickets SET status = $2, update_time = $3,
				first_responded_at = $4, resolve_time = $5, close_time = $6, cancel_reason = $7,
				sealed = coalesce($8, sealed), sealed_key_id = coalesce($9, sealed_key_id),
				sealed_nonce = coalesce($10, sealed_nonce), cancelled_by_staff = $11, history_seq = history_seq + 1
			WHERE id = $1 RETURNING history_seq`,
			t.ID, string(t.Status), now, t.FirstRespondedAt, t.ResolveTime, t.CloseTime, plainColumns(t).CancelReason,
			sealed, keyID, nonce, m.To == domain.StatusCancelled && v.IsStaff()).Scan(&seq)
		if err != nil {
			return fmt.Errorf("update status: %w", err)
		}
		h := domain.HistoryEntry{Sequence: seq, TicketID: t.ID, Kind: domain.HistoryStatusChanged, Actor: v.Subject,
			From: from, To: m.To, Reason: m.Reason, EventID: uuid.NewString(), CreateTime: now}
		if m.FirstResponse {
			h.Detail = "first_response"
		}
		if err := s.insertHistory(ctx, tx, t, h); err != nil {
			return err
		}
		if hook != nil {
			if err := hook(ctx, tx, t, h); err != nil {
				return fmt.Errorf("status hook: %w", err)
			}
		}
		// The answer is the whole ticket, content included.
		return logGBVReads(ctx, tx, v, "UpdateTicketStatus", []domain.Ticket{t})
	})
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("store.UpdateStatus: %w", err)
	}
	return t, nil
}

// applyMove sets the fields a status move changes.
func applyMove(t *domain.Ticket, m StatusMove, now time.Time) {
	t.Status, t.UpdateTime = m.To, now
	if m.FirstResponse && t.FirstRespondedAt == nil {
		t.FirstRespondedAt = &now
	}
	switch m.To {
	case domain.StatusResolved:
		t.ResolveTime = &now
	case domain.StatusClosed:
		t.CloseTime = &now
	case domain.StatusCancelled:
		t.CancelReason = m.Reason
	}
}
