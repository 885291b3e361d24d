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

// History returns the history of ticket id, oldest first. withInternal=false
// leaves out the entries of internal notes, which a reporter must not learn
// of; that is decided after opening, since a GBV entry's detail is sealed.
func (s *Store) History(ctx context.Context, v domain.Viewer, id string, withInternal bool) ([]domain.HistoryEntry, error) {
	var out []domain.HistoryEntry
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		t, err := s.getTx(ctx, tx, v, id, "")
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT sequence, ticket_id::text, kind, actor, from_status, to_status,
				reason, detail, sealed, sealed_key_id, sealed_nonce, event_id::text, create_time
			FROM ticket.history WHERE ticket_id = $1 ORDER BY sequence`, t.ID)
		if err != nil {
			return fmt.Errorf("select history: %w", err)
		}
		all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.HistoryEntry, error) {
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
			return fmt.Errorf("scan history: %w", err)
		}
		for _, h := range all {
			if withInternal || h.Kind != domain.HistoryNoteAdded || h.Detail != domain.NoteInternal {
				out = append(out, h)
			}
		}
		return logGBVReads(ctx, tx, v, "GetTicketHistory", []domain.Ticket{t})
	})
	if err != nil {
		return nil, fmt.Errorf("store.History: %w", err)
	}
	return out, nil
}
