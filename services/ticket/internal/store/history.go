package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// historyText is what a GBV ticket's history entry seals: its reason (a
// status change's is the actor's free text) and its detail.
type historyText struct {
	Reason string `json:"reason,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// historyAAD binds a sealed history entry to its tenant, ticket and
// sequence, so a ciphertext copied onto another entry fails to open.
func historyAAD(tenant, ticketID string, seq int64) []byte {
	return append(aad(tenant, ticketID), ":history:"+strconv.FormatInt(seq, 10)...)
}

func (s *Store) sealHistory(tenant, ticketID string, seq int64, h historyText) (seal.Sealed, error) {
	pt, err := json.Marshal(h)
	if err != nil {
		return seal.Sealed{}, fmt.Errorf("store: marshal history: %w", err)
	}
	return s.keys.Seal(pt, historyAAD(tenant, ticketID, seq))
}

func (s *Store) openHistory(tenant, ticketID string, seq int64, sd seal.Sealed) (historyText, error) {
	var h historyText
	pt, err := s.keys.Open(sd, historyAAD(tenant, ticketID, seq))
	if err != nil {
		return h, fmt.Errorf("store: open history %s/%d: %w", ticketID, seq, err)
	}
	if err := json.Unmarshal(pt, &h); err != nil {
		return h, fmt.Errorf("store: unmarshal history: %w", err)
	}
	return h, nil
}

// historyInsert appends a history entry, from historyArgs.
const historyInsert = `INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor,
		from_status, to_status, reason, detail, sealed, sealed_key_id, sealed_nonce, event_id, create_time)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`

// historyArgs are historyInsert's arguments for h on t. On a GBV ticket the
// reason and detail (a status change's reason is free text) are sealed,
// bound to the entry, and the plaintext columns stay empty.
func (s *Store) historyArgs(t domain.Ticket, h domain.HistoryEntry) ([]any, error) {
	reason, detail := h.Reason, h.Detail
	var sealed, nonce []byte
	var keyID *string
	if t.IsGBV() {
		sd, err := s.sealHistory(t.Tenant, t.ID, h.Sequence, historyText{Reason: h.Reason, Detail: h.Detail})
		if err != nil {
			return nil, err
		}
		reason, detail, sealed, nonce, keyID = "", "", sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	return []any{t.ID, h.Sequence, t.Tenant, t.IsGBV(), h.Kind, h.Actor, string(h.From), string(h.To),
		reason, detail, sealed, keyID, nonce, h.EventID, h.CreateTime}, nil
}

// InsertHistory appends h to t's history (sealed on a GBV ticket, see
// historyArgs).
func (s *Store) InsertHistory(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error {
	args, err := s.historyArgs(t, h)
	if err != nil {
		return fmt.Errorf("store.InsertHistory: %w", err)
	}
	if _, err := tx.Exec(ctx, historyInsert, args...); err != nil {
		return fmt.Errorf("store.InsertHistory: %w", err)
	}
	return nil
}

// AppendHistory advances t's history sequence, marks t updated at h's time
// and appends h under that sequence, returning h as written.
func (s *Store) AppendHistory(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) (domain.HistoryEntry, error) {
	if err := tx.QueryRow(ctx, `UPDATE ticket.tickets SET update_time = $2, history_seq = history_seq + 1
		WHERE id = $1 RETURNING history_seq`, t.ID, h.CreateTime).Scan(&h.Sequence); err != nil {
		return h, fmt.Errorf("store.AppendHistory: %w", err)
	}
	h.TicketID = t.ID
	return h, s.InsertHistory(ctx, tx, t, h)
}

// ListHistory returns the history of ticket t, oldest first, opening the
// sealed entries of a GBV ticket.
func (s *Store) ListHistory(ctx context.Context, tx pgx.Tx, t domain.Ticket) ([]domain.HistoryEntry, error) {
	rows, err := tx.Query(ctx, `SELECT sequence, ticket_id::text, kind, actor, from_status, to_status,
			reason, detail, sealed, sealed_key_id, sealed_nonce, event_id::text, create_time
		FROM ticket.history WHERE ticket_id = $1 ORDER BY sequence`, t.ID)
	if err != nil {
		return nil, fmt.Errorf("store.ListHistory: %w", err)
	}
	hs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.HistoryEntry, error) {
		var (
			h             domain.HistoryEntry
			from, to      string
			sealed, nonce []byte
			keyID         *string
		)
		if err := r.Scan(&h.Sequence, &h.TicketID, &h.Kind, &h.Actor, &from, &to, &h.Reason, &h.Detail,
			&sealed, &keyID, &nonce, &h.EventID, &h.CreateTime); err != nil {
			return h, err
		}
		h.From, h.To, h.CreateTime = domain.Status(from), domain.Status(to), h.CreateTime.UTC()
		if sealed != nil && keyID != nil {
			ht, err := s.openHistory(t.Tenant, t.ID, h.Sequence, seal.Sealed{KeyID: *keyID, Nonce: nonce, Ciphertext: sealed})
			if err != nil {
				return h, err
			}
			h.Reason, h.Detail = ht.Reason, ht.Detail
		}
		return h, nil
	})
	if err != nil {
		return nil, fmt.Errorf("store.ListHistory: %w", err)
	}
	return hs, nil
}

// HasHistoryEvent reports whether ticket id's history holds an entry of
// event eventID.
func (s *Store) HasHistoryEvent(ctx context.Context, tx pgx.Tx, id, eventID string) (bool, error) {
	var seen bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ticket.history WHERE ticket_id = $1 AND event_id = $2)`,
		id, eventID).Scan(&seen); err != nil {
		return false, fmt.Errorf("store.HasHistoryEvent: %w", err)
	}
	return seen, nil
}
