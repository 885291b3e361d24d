package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// messageColumns are the columns scanMessage reads, in order.
const messageColumns = `id::text, tenant, coalesce(ticket_id::text, ''), coalesce(event_id::text, ''), gbv, kind, recipient,
	recipient_id, channel, language, state, subject, body, provider, provider_message_id, error, attempts, not_before,
	coalesce(digest_id::text, ''), create_time, update_time, sent_time, delivered_time, coalesce(export_id, ''),
	attachment_name, attachment_type, attachment`

func scanMessage(r pgx.Row) (domain.Message, error) {
	var (
		m                                     domain.Message
		kind, recipient, channel, lang, state string
		notBefore, sent, delivered            *time.Time
		fileName, fileType                    string
		file                                  []byte
	)
	err := r.Scan(&m.ID, &m.Tenant, &m.TicketID, &m.EventID, &m.GBV, &kind, &recipient, &m.RecipientID, &channel, &lang,
		&state, &m.Subject, &m.Body, &m.Provider, &m.ProviderMessageID, &m.Error, &m.Attempts, &notBefore, &m.DigestID,
		&m.Create, &m.Update, &sent, &delivered, &m.ExportID, &fileName, &fileType, &file)
	if file != nil {
		m.Attachment = &domain.Attachment{Name: fileName, Type: fileType, Content: file}
	}
	m.Kind, m.Recipient, m.Channel, m.Language, m.State = domain.Kind(kind), domain.RecipientKind(recipient),
		domain.Channel(channel), domain.Language(lang), domain.State(state)
	m.NotBefore, m.Sent, m.Delivered, m.Create, m.Update = utc(notBefore), utc(sent), utc(delivered), m.Create.UTC(), m.Update.UTC()
	return m, err
}

// nullID is id, or NULL for "".
func nullID(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

// InsertMessage records m unless a message of its (event, recipient,
// channel) exists, reporting whether it did: the one place that makes a
// message exactly once, whatever retries and replicas do.
func (s *Store) InsertMessage(ctx context.Context, tx pgx.Tx, m domain.Message) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO notify.messages (id, tenant, ticket_id, event_id, gbv, kind, recipient, recipient_id, channel,
			language, state, subject, body, error, not_before, create_time, update_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
		ON CONFLICT (event_id, recipient, recipient_id, channel) WHERE event_id IS NOT NULL DO NOTHING`,
		m.ID, m.Tenant, nullID(m.TicketID), nullID(m.EventID), m.GBV, string(m.Kind), string(m.Recipient), m.RecipientID,
		string(m.Channel), string(m.Language), string(m.State), m.Subject, m.Body, m.Error, m.NotBefore, m.Create)
	if err != nil {
		return false, fmt.Errorf("store.InsertMessage: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// InsertReportMessage records m, a report's message to an address, unless
// one of its (tenant, export, address) exists, reporting whether it did:
// SendReportExport sends each export once per address.
func (s *Store) InsertReportMessage(ctx context.Context, tx pgx.Tx, m domain.Message) (bool, error) {
	var name, typ string
	var file []byte
	if a := m.Attachment; a != nil {
		name, typ, file = a.Name, a.Type, a.Content
	}
	tag, err := tx.Exec(ctx, `INSERT INTO notify.messages (id, tenant, gbv, recipient, recipient_id, channel, language, state,
			subject, body, export_id, attachment_name, attachment_type, attachment, create_time, update_time)
		VALUES ($1, $2, false, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
		ON CONFLICT (tenant, export_id, recipient_id) WHERE export_id IS NOT NULL DO NOTHING`,
		m.ID, m.Tenant, string(m.Recipient), m.RecipientID, string(m.Channel), string(m.Language), string(m.State),
		m.Subject, m.Body, m.ExportID, name, typ, file, m.Create)
	if err != nil {
		return false, fmt.Errorf("store.InsertReportMessage: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// GetMessage returns message id (locked for the transaction when lock).
func (s *Store) GetMessage(ctx context.Context, tx pgx.Tx, id string, lock bool) (domain.Message, error) {
	q := `SELECT ` + messageColumns + ` FROM notify.messages WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	m, err := scanMessage(tx.QueryRow(ctx, q, id))
	if pg.IsNoRows(err) {
		return m, domain.ErrMessageNotFound
	}
	if err != nil {
		return m, fmt.Errorf("store.GetMessage: %w", err)
	}
	return m, nil
}

// maxListed bounds a ticket's message list.
const maxListed = 1000

// ListTicketMessages returns the messages about ticket id, oldest first,
// as v lets the caller see them.
func (s *Store) ListTicketMessages(ctx context.Context, tx pgx.Tx, id string, v domain.Visibility) ([]domain.Message, error) {
	rows, err := tx.Query(ctx, `SELECT `+messageColumns+` FROM notify.messages
		WHERE ticket_id = $1 AND ($2 OR tenant = $3) AND ($4 OR NOT gbv) ORDER BY create_time, id LIMIT $5`,
		id, v.AllTenants, v.Tenant, v.GBV, maxListed)
	if err != nil {
		return nil, fmt.Errorf("store.ListTicketMessages: %w", err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Message, error) { return scanMessage(r) })
	if err != nil {
		return nil, fmt.Errorf("store.ListTicketMessages: %w", err)
	}
	return ms, nil
}

// SetState moves message id to state with what else is known: the
// provider's id, an error, sent or delivered times.
func (s *Store) SetState(ctx context.Context, tx pgx.Tx, m domain.Message) error {
	_, err := tx.Exec(ctx, `UPDATE notify.messages SET state = $2, provider = $3, provider_message_id = $4, error = $5,
			attempts = $6, sent_time = $7, delivered_time = $8, digest_id = $9, update_time = $10
		WHERE id = $1`, m.ID, string(m.State), m.Provider, m.ProviderMessageID, m.Error, m.Attempts, m.Sent, m.Delivered,
		nullID(m.DigestID), m.Update)
	if err != nil {
		return fmt.Errorf("store.SetState: %w", err)
	}
	return nil
}

// MessageByProviderID returns the message provider knows as pid, locked.
func (s *Store) MessageByProviderID(ctx context.Context, tx pgx.Tx, tenant, provider, pid string) (domain.Message, bool, error) {
	m, err := scanMessage(tx.QueryRow(ctx, `SELECT `+messageColumns+` FROM notify.messages
		WHERE tenant = $1 AND provider = $2 AND provider_message_id = $3 FOR UPDATE`, tenant, provider, pid))
	if pg.IsNoRows(err) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("store.MessageByProviderID: %w", err)
	}
	return m, true, nil
}

// DueWaiting returns up to limit waiting messages whose time has come,
// oldest first, locked for the transaction.
func (s *Store) DueWaiting(ctx context.Context, tx pgx.Tx, now time.Time, limit int) ([]domain.Message, error) {
	rows, err := tx.Query(ctx, `SELECT `+messageColumns+` FROM notify.messages
		WHERE state = 'waiting' AND not_before <= $1 ORDER BY not_before, create_time LIMIT $2 FOR UPDATE SKIP LOCKED`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("store.DueWaiting: %w", err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Message, error) { return scanMessage(r) })
	if err != nil {
		return nil, fmt.Errorf("store.DueWaiting: %w", err)
	}
	return ms, nil
}
