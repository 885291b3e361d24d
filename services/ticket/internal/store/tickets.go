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

// ticketInsert writes a new ticket with its history sequence at 1 (its
// created entry) and answers its reference; %s is the SQL of the
// reference, from ticketArgs' $18. The reference comes from the CTE, not
// from RETURNING, which would need the new row to be readable: a citizen
// reports GBV without ever reading it back.
const ticketInsert = `WITH r AS (SELECT %s AS reference),
	t AS (INSERT INTO ticket.tickets (id, tenant, reference, category, status, description,
		location, address, reporter_name, reporter_phone, reporter_email, reporter_subject, channel,
		sealed, sealed_key_id, sealed_nonce, create_time, update_time, history_seq,
		priority, suggested_priority, priority_by_staff)
	SELECT $1, $2, r.reference, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326), $8, $9, $10, $11, $12, $13,
		$14, $15, $16, $17, $17, 1, $19, $20, $21 FROM r)
	SELECT reference FROM r`

// ticketArgs are ticketInsert's $1 to $17 for t, followed by ref ($18) and
// its priority, suggested priority and whether staff set it ($19 to $21). A
// GBV ticket's free text goes into its sealed document and its plaintext
// columns stay empty.
func (s *Store) ticketArgs(t domain.Ticket, ref any) ([]any, error) {
	plain := plainColumns(t)
	var sealed, nonce []byte
	var keyID *string
	if t.IsGBV() {
		sd, err := s.sealContent(t)
		if err != nil {
			return nil, err
		}
		sealed, nonce, keyID = sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	return []any{t.ID, t.Tenant, string(t.Category), string(t.Status), plain.Description,
		t.Location.Lng, t.Location.Lat, plain.Address, plain.Reporter.Name, plain.Reporter.Phone, plain.Reporter.Email,
		t.ReporterSubject, string(t.Channel), sealed, keyID, nonce, t.CreateTime, ref,
		string(t.Priority), string(t.SuggestedPriority), t.PriorityByStaff}, nil
}

// InsertTicket writes a new ticket under the reference t carries, its
// history sequence at 1 (its created entry, InsertHistory).
func (s *Store) InsertTicket(ctx context.Context, tx pgx.Tx, t domain.Ticket) error {
	args, err := s.ticketArgs(t, t.Reference)
	if err != nil {
		return fmt.Errorf("store.InsertTicket: %w", err)
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(ticketInsert, "$18::text"), args...); err != nil {
		return fmt.Errorf("store.InsertTicket: %w", err)
	}
	return nil
}

// CreateTicket writes new ticket t under the next reference of its tenant
// and creation year (set on t), claims the reporter's idempotency key for
// it when key is set (queueClaim, domain.ErrKeyTaken) and appends its
// created entry h, all in one round trip, with what also queues after them
// (nil: nothing; its callbacks run before CreateTicket returns).
//
// References come from a sequence per tenant and year
// (ticket.next_reference, migration 00017), which holds no lock until the
// commit: creates of one municipality run side by side, and a rolled-back
// create leaves a gap in its numbers.
func (s *Store) CreateTicket(ctx context.Context, tx pgx.Tx, t *domain.Ticket, h domain.HistoryEntry, key string, digest []byte, also func(*pgx.Batch)) error {
	targs, err := s.ticketArgs(*t, t.CreateTime.Year())
	if err != nil {
		return fmt.Errorf("store.CreateTicket: %w", err)
	}
	hargs, err := s.historyArgs(*t, h)
	if err != nil {
		return fmt.Errorf("store.CreateTicket: %w", err)
	}
	b := &pgx.Batch{}
	b.Queue(fmt.Sprintf(ticketInsert, "ticket.next_reference($2, $18::int)"), targs...)
	if key != "" {
		queueClaim(b, *t, key, digest)
	}
	b.Queue(historyInsert, hargs...)
	if also != nil {
		also(b)
	}
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	if err := br.QueryRow().Scan(&t.Reference); err != nil {
		return fmt.Errorf("store.CreateTicket: insert ticket: %w", err)
	}
	if key != "" {
		if err := readClaim(br); err != nil {
			return err
		}
	}
	if _, err := br.Exec(); err != nil {
		return fmt.Errorf("store.CreateTicket: insert history: %w", err)
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("store.CreateTicket: %w", err)
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
