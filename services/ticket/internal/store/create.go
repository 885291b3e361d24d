package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Create stores a new ticket for a validated input, with its reference, its
// `created` history entry and whatever hook records, all in one transaction.
// When the caller used in.IdempotencyKey within the idempotency window it
// creates nothing and answers as retryResult says, with created=false.
func (s *Store) Create(ctx context.Context, v domain.Viewer, in domain.CreateInput, hook Hook) (domain.Ticket, bool, error) {
	return s.create(ctx, v, in, in.Digest(), hook)
}

func (s *Store) create(ctx context.Context, v domain.Viewer, in domain.CreateInput, digest []byte, hook Hook) (t domain.Ticket, created bool, err error) {
	err = s.inTx(ctx, v, func(tx pgx.Tx) error {
		var err error
		t, err = s.insert(ctx, tx, v, in, digest, hook)
		return err
	})
	if errors.Is(err, errKeyTaken) {
		t, err = s.retryResult(ctx, v, in, digest)
		return t, false, err
	}
	if err != nil {
		return domain.Ticket{}, false, fmt.Errorf("store.Create: %w", err)
	}
	return t, true, nil
}

func (s *Store) insert(ctx context.Context, tx pgx.Tx, v domain.Viewer, in domain.CreateInput, digest []byte, hook Hook) (domain.Ticket, error) {
	now := s.timestamp()
	t := domain.Ticket{
		ID: uuid.NewString(), Tenant: in.Tenant, Category: in.Category, Status: domain.StatusOpen,
		Description: in.Description, Location: *in.Location, Address: in.Address, Reporter: in.Reporter,
		ReporterSubject: v.Subject, Channel: in.Channel, CreateTime: now, UpdateTime: now,
	}
	// The counter row lock also serialises concurrent creates with one key,
	// so the losers meet the winner's committed key in claimKey.
	var seq int64
	if err := tx.QueryRow(ctx, `INSERT INTO ticket.reference_counters AS c (tenant, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (tenant, year) DO UPDATE SET last = c.last + 1 RETURNING last`,
		t.Tenant, now.Year()).Scan(&seq); err != nil {
		return t, fmt.Errorf("next reference: %w", err)
	}
	t.Reference = fmt.Sprintf("%s-%d-%06d", t.Tenant, now.Year(), seq)

	plain := plainColumns(t)
	var sealed, nonce []byte
	var keyID *string
	if t.IsGBV() {
		sd, err := s.sealContent(t)
		if err != nil {
			return t, err
		}
		sealed, nonce, keyID = sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	_, err := tx.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, description,
			location, address, reporter_name, reporter_phone, reporter_email, reporter_subject, channel,
			sealed, sealed_key_id, sealed_nonce, create_time, update_time, history_seq)
		VALUES ($1, $2, $3, $4, $5, $6, ST_SetSRID(ST_MakePoint($7, $8), 4326), $9, $10, $11, $12, $13, $14,
			$15, $16, $17, $18, $18, 1)`,
		t.ID, t.Tenant, t.Reference, string(t.Category), string(t.Status), plain.Description,
		t.Location.Lng, t.Location.Lat, plain.Address, plain.Reporter.Name, plain.Reporter.Phone, plain.Reporter.Email,
		t.ReporterSubject, string(t.Channel), sealed, keyID, nonce, now)
	if err != nil {
		return t, fmt.Errorf("insert ticket: %w", err)
	}
	if err := claimKey(ctx, tx, v, t, in.IdempotencyKey, digest); err != nil {
		return t, err
	}
	h := domain.HistoryEntry{Sequence: 1, TicketID: t.ID, Kind: domain.HistoryCreated, Actor: v.Subject,
		To: domain.StatusOpen, Detail: string(t.Channel), EventID: uuid.NewString(), CreateTime: now}
	if err := s.insertHistory(ctx, tx, t, h); err != nil {
		return t, err
	}
	if hook != nil {
		if err := hook(ctx, tx, t, h); err != nil {
			return t, fmt.Errorf("create hook: %w", err)
		}
	}
	// A viewer who reads GBV gets the new ticket back with its content;
	// everyone else gets a receipt without it (app.CreateTicket).
	if v.ReadsGBV() {
		return t, logGBVReads(ctx, tx, v, "CreateTicket", []domain.Ticket{t})
	}
	return t, nil
}

// insertHistory appends h to t's history. On a GBV ticket the reason and
// detail (a status change's reason is free text) are sealed, bound to the
// entry, and the plaintext columns stay empty.
func (s *Store) insertHistory(ctx context.Context, tx pgx.Tx, t domain.Ticket, h domain.HistoryEntry) error {
	reason, detail := h.Reason, h.Detail
	var sealed, nonce []byte
	var keyID *string
	if t.IsGBV() {
		sd, err := s.sealHistory(t.Tenant, t.ID, h.Sequence, historyText{Reason: h.Reason, Detail: h.Detail})
		if err != nil {
			return err
		}
		reason, detail, sealed, nonce, keyID = "", "", sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	_, err := tx.Exec(ctx, `INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor,
			from_status, to_status, reason, detail, sealed, sealed_key_id, sealed_nonce, event_id, create_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		t.ID, h.Sequence, t.Tenant, t.IsGBV(), h.Kind, h.Actor, string(h.From), string(h.To),
		reason, detail, sealed, keyID, nonce, h.EventID, h.CreateTime)
	if err != nil {
		return fmt.Errorf("insert history: %w", err)
	}
	return nil
}
