package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// NextReference takes the next reference number of tenant for year. Its row
// lock also serialises concurrent creates with one idempotency key, so the
// losers meet the winner's committed key in ClaimKey.
func (s *Store) NextReference(ctx context.Context, tx pgx.Tx, tenant string, year int) (int64, error) {
	var seq int64
	if err := tx.QueryRow(ctx, `INSERT INTO ticket.reference_counters AS c (tenant, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (tenant, year) DO UPDATE SET last = c.last + 1 RETURNING last`,
		tenant, year).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store.NextReference: %w", err)
	}
	return seq, nil
}

// InsertTicket writes a new ticket, its history sequence at 1 (its
// created entry, InsertHistory); a GBV ticket's free text goes into its
// sealed document and its plaintext columns stay empty.
func (s *Store) InsertTicket(ctx context.Context, tx pgx.Tx, t domain.Ticket) error {
	plain := plainColumns(t)
	var sealed, nonce []byte
	var keyID *string
	if t.IsGBV() {
		sd, err := s.sealContent(t)
		if err != nil {
			return fmt.Errorf("store.InsertTicket: %w", err)
		}
		sealed, nonce, keyID = sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	_, err := tx.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, description,
			location, address, reporter_name, reporter_phone, reporter_email, reporter_subject, channel,
			sealed, sealed_key_id, sealed_nonce, create_time, update_time, history_seq,
			priority, suggested_priority, priority_by_staff)
		VALUES ($1, $2, $3, $4, $5, $6, ST_SetSRID(ST_MakePoint($7, $8), 4326), $9, $10, $11, $12, $13, $14,
			$15, $16, $17, $18, $18, 1, $19, $20, $21)`,
		t.ID, t.Tenant, t.Reference, string(t.Category), string(t.Status), plain.Description,
		t.Location.Lng, t.Location.Lat, plain.Address, plain.Reporter.Name, plain.Reporter.Phone, plain.Reporter.Email,
		t.ReporterSubject, string(t.Channel), sealed, keyID, nonce, t.CreateTime,
		string(t.Priority), string(t.SuggestedPriority), t.PriorityByStaff)
	if err != nil {
		return fmt.Errorf("store.InsertTicket: %w", err)
	}
	return nil
}

// SetMedia stores the media URL and attributes of an Open311 report.
func (s *Store) SetMedia(ctx context.Context, tx pgx.Tx, id, mediaURL string, attrs map[string]string) error {
	b, err := json.Marshal(attrs)
	if err != nil {
		return fmt.Errorf("store.SetMedia: marshal attributes: %w", err)
	}
	if len(attrs) == 0 {
		b = []byte("{}")
	}
	if _, err := tx.Exec(ctx, `UPDATE ticket.tickets SET media_url = $2, attributes = $3 WHERE id = $1`, id, mediaURL, b); err != nil {
		return fmt.Errorf("store.SetMedia: %w", err)
	}
	return nil
}

// Lock is whether GetTicket locks the row it reads.
type Lock bool

// The two ways GetTicket reads.
const (
	NoLock    Lock = false
	ForUpdate Lock = true
)

// GetTicket reads ticket id if v may see it, else domain.ErrTicketNotFound.
func (s *Store) GetTicket(ctx context.Context, tx pgx.Tx, id string, v domain.Visibility, lock Lock) (domain.Ticket, error) {
	w := &where{}
	w.add("t.id = " + w.arg(id))
	visible(w, v)
	q := `SELECT ` + ticketColumns + ` FROM ticket.tickets t WHERE ` + w.sql()
	if lock {
		q += ` FOR UPDATE`
	}
	t, err := s.scanTicket(tx.QueryRow(ctx, q, w.args...))
	if pg.IsNoRows(err) {
		return domain.Ticket{}, domain.ErrTicketNotFound
	}
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("store.GetTicket: %w", err)
	}
	return t, nil
}

// SaveStatus writes the status columns of t after move m and advances its
// history sequence, returning the sequence of m's history entry. A GBV
// ticket's content is sealed again, with the cancel reason in it.
func (s *Store) SaveStatus(ctx context.Context, tx pgx.Tx, t domain.Ticket, m domain.Move) (int64, error) {
	// The NULLs of other tickets keep their sealed columns.
	var sealed, nonce []byte
	var keyID *string
	if t.IsGBV() {
		sd, err := s.sealContent(t)
		if err != nil {
			return 0, fmt.Errorf("store.SaveStatus: %w", err)
		}
		sealed, nonce, keyID = sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	var seq int64
	err := tx.QueryRow(ctx, `UPDATE ticket.tickets SET status = $2, update_time = $3,
			first_responded_at = $4, resolve_time = $5, close_time = $6, cancel_reason = $7,
			sealed = coalesce($8, sealed), sealed_key_id = coalesce($9, sealed_key_id),
			sealed_nonce = coalesce($10, sealed_nonce), cancelled_by_staff = $11, history_seq = history_seq + 1
		WHERE id = $1 RETURNING history_seq`,
		t.ID, string(t.Status), t.UpdateTime, t.FirstRespondedAt, t.ResolveTime, t.CloseTime, plainColumns(t).CancelReason,
		sealed, keyID, nonce, m.To == word.StatusCancelled && m.ByStaff).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("store.SaveStatus: %w", err)
	}
	return seq, nil
}
