package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// attachmentColumns is the select list scanAttachment reads, for alias a.
const attachmentColumns = `a.id::text, a.ticket_id::text, a.tenant, a.gbv, coalesce(a.note_id::text, ''), a.file_name, a.sha256,
	a.sealed, a.sealed_key_id, a.sealed_nonce, a.content_type, a.size_bytes, a.width, a.height, a.object_key,
	a.thumb_key, a.thumb_content_type, a.thumb_size_bytes, a.thumb_width, a.thumb_height, a.public, a.created_by, a.create_time`

// attachmentText is what a GBV ticket's attachment row seals: its name
// and the hash of its picture.
type attachmentText struct {
	FileName string `json:"file_name,omitempty"`
	SHA256   string `json:"sha256"`
}

// attachmentAAD binds sealed attachment content (the row's text and the
// objects' bytes, part "row", "image" or "thumbnail") to its tenant,
// ticket and attachment, so a ciphertext copied elsewhere fails to open.
func attachmentAAD(a domain.Attachment, part string) []byte {
	return append(aad(a.Tenant, a.TicketID), ":attachment:"+a.ID+":"+part...)
}

// InsertAttachment writes attachment a of ticket t. On a GBV ticket its
// name and hash are sealed and the plaintext columns stay empty.
func (s *Store) InsertAttachment(ctx context.Context, tx pgx.Tx, t domain.Ticket, a domain.Attachment) error {
	name, sum := a.FileName, a.SHA256
	var (
		sealed, nonce []byte
		keyID         *string
	)
	if t.IsGBV() {
		pt, err := json.Marshal(attachmentText{FileName: a.FileName, SHA256: a.SHA256})
		if err != nil {
			return fmt.Errorf("store.InsertAttachment: %w", err)
		}
		sd, err := s.keys.Seal(pt, attachmentAAD(a, "row"))
		if err != nil {
			return fmt.Errorf("store.InsertAttachment: %w", err)
		}
		name, sum, sealed, nonce, keyID = "", "", sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	var note *string
	if a.NoteID != "" {
		note = &a.NoteID
	}
	_, err := tx.Exec(ctx, `INSERT INTO ticket.attachments (id, ticket_id, tenant, gbv, note_id, file_name, sha256,
			sealed, sealed_key_id, sealed_nonce, content_type, size_bytes, width, height, object_key,
			thumb_key, thumb_content_type, thumb_size_bytes, thumb_width, thumb_height, public, created_by, create_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
		a.ID, t.ID, t.Tenant, t.IsGBV(), note, name, sum, sealed, keyID, nonce,
		a.Image.ContentType, a.Image.Size, a.Image.Width, a.Image.Height, a.Image.Key,
		a.Thumb.Key, a.Thumb.ContentType, a.Thumb.Size, a.Thumb.Width, a.Thumb.Height, a.Public, a.CreatedBy, a.CreateTime)
	if err != nil {
		return fmt.Errorf("store.InsertAttachment: %w", err)
	}
	return nil
}

// scanAttachment reads one row of attachmentColumns, opening sealed text.
func (s *Store) scanAttachment(row pgx.Row) (domain.Attachment, error) {
	var (
		a             domain.Attachment
		sealed, nonce []byte
		keyID         *string
	)
	err := row.Scan(&a.ID, &a.TicketID, &a.Tenant, &a.GBV, &a.NoteID, &a.FileName, &a.SHA256,
		&sealed, &keyID, &nonce, &a.Image.ContentType, &a.Image.Size, &a.Image.Width, &a.Image.Height, &a.Image.Key,
		&a.Thumb.Key, &a.Thumb.ContentType, &a.Thumb.Size, &a.Thumb.Width, &a.Thumb.Height, &a.Public, &a.CreatedBy, &a.CreateTime)
	if err != nil {
		return a, err
	}
	utc(&a.CreateTime)
	if sealed != nil && keyID != nil {
		pt, err := s.keys.Open(seal.Sealed{KeyID: *keyID, Nonce: nonce, Ciphertext: sealed}, attachmentAAD(a, "row"))
		if err != nil {
			return a, fmt.Errorf("open attachment %s: %w", a.ID, err)
		}
		var txt attachmentText
		if err := json.Unmarshal(pt, &txt); err != nil {
			return a, fmt.Errorf("unmarshal attachment %s: %w", a.ID, err)
		}
		a.FileName, a.SHA256 = txt.FileName, txt.SHA256
	}
	return a, nil
}

// ListAttachments returns the attachments of ticket t that v shows, oldest
// first.
func (s *Store) ListAttachments(ctx context.Context, tx pgx.Tx, t domain.Ticket, v domain.AttachmentsOf) ([]domain.Attachment, error) {
	rows, err := tx.Query(ctx, `SELECT `+attachmentColumns+` FROM ticket.attachments a
		WHERE a.ticket_id = $1 AND ($2 OR a.public OR a.created_by = $3) ORDER BY a.create_time, a.id`, t.ID, v.All, v.Uploader)
	if err != nil {
		return nil, fmt.Errorf("store.ListAttachments: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Attachment, error) { return s.scanAttachment(r) })
	if err != nil {
		return nil, fmt.Errorf("store.ListAttachments: %w", err)
	}
	return out, nil
}

// GetAttachment reads attachment id of ticket t if v shows it, else
// domain.ErrAttachmentNotFound, with the visibility of its note ("" when
// it is the ticket's own). lock locks the row.
func (s *Store) GetAttachment(ctx context.Context, tx pgx.Tx, t domain.Ticket, id string, v domain.AttachmentsOf, lock Lock) (domain.Attachment, string, error) {
	q := `SELECT ` + attachmentColumns + `, coalesce(n.visibility, '') FROM ticket.attachments a
		LEFT JOIN ticket.notes n ON n.id = a.note_id
		WHERE a.ticket_id = $1 AND a.id = $2 AND ($3 OR a.public OR a.created_by = $4)`
	if lock {
		q += ` FOR UPDATE OF a`
	}
	var noteVisibility string
	a, err := s.scanAttachment(scanWith{row: tx.QueryRow(ctx, q, t.ID, id, v.All, v.Uploader), extra: []any{&noteVisibility}})
	if pg.IsNoRows(err) {
		return a, "", domain.ErrAttachmentNotFound
	}
	if err != nil {
		return a, "", fmt.Errorf("store.GetAttachment: %w", err)
	}
	return a, noteVisibility, nil
}

// scanWith scans a row of attachmentColumns followed by extra columns.
type scanWith struct {
	row   pgx.Row
	extra []any
}

// Scan implements pgx.Row.
func (w scanWith) Scan(dest ...any) error { return w.row.Scan(append(dest, w.extra...)...) }

// CountAttachments returns how many attachments ticket id has.
func (s *Store) CountAttachments(ctx context.Context, tx pgx.Tx, id string) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM ticket.attachments WHERE ticket_id = $1`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("store.CountAttachments: %w", err)
	}
	return n, nil
}

// NoteVisibility returns the visibility of note id of ticket t written by
// author, else domain.ErrNoteNotFound.
func (s *Store) NoteVisibility(ctx context.Context, tx pgx.Tx, t domain.Ticket, id, author string) (string, error) {
	var vis string
	err := tx.QueryRow(ctx, `SELECT visibility FROM ticket.notes WHERE id = $1 AND ticket_id = $2 AND author = $3`,
		id, t.ID, author).Scan(&vis)
	if pg.IsNoRows(err) {
		return "", domain.ErrNoteNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store.NoteVisibility: %w", err)
	}
	return vis, nil
}

// SetAttachmentPublic sets whether attachment id is public.
func (s *Store) SetAttachmentPublic(ctx context.Context, tx pgx.Tx, id string, public bool) error {
	if _, err := tx.Exec(ctx, `UPDATE ticket.attachments SET public = $2 WHERE id = $1`, id, public); err != nil {
		return fmt.Errorf("store.SetAttachmentPublic: %w", err)
	}
	return nil
}

// DeleteAttachment deletes attachment id's row; its objects go through
// the object sweep (MarkObjects).
func (s *Store) DeleteAttachment(ctx context.Context, tx pgx.Tx, id string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM ticket.attachments WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store.DeleteAttachment: %w", err)
	}
	return nil
}
