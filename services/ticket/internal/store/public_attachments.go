package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// publicAttachments fills the public attachments of ts in one query: those
// staff made public, of tickets that are not GBV (which no public ticket
// is; the query says so again).
func (s *Store) publicAttachments(ctx context.Context, tx pgx.Tx, ts []domain.PublicTicket) error {
	if len(ts) == 0 {
		return nil
	}
	idx := make(map[string]int, len(ts))
	ids := make([]string, len(ts))
	for i, t := range ts {
		idx[t.ID], ids[i] = i, t.ID
	}
	rows, err := tx.Query(ctx, `SELECT `+attachmentColumns+` FROM ticket.attachments a
		WHERE a.ticket_id = ANY($1::uuid[]) AND a.public AND NOT a.gbv ORDER BY a.create_time, a.id`, ids)
	if err != nil {
		return fmt.Errorf("select attachments: %w", err)
	}
	as, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Attachment, error) { return s.scanAttachment(r) })
	if err != nil {
		return fmt.Errorf("scan attachments: %w", err)
	}
	for _, a := range as {
		i := idx[a.TicketID]
		ts[i].Attachments = append(ts[i].Attachments, a)
	}
	return nil
}

// GetPublicAttachment reads attachment id of ticket ticketID of tenant if
// it is public and the ticket is not GBV, else
// domain.ErrAttachmentNotFound, whatever the reason.
func (s *Store) GetPublicAttachment(ctx context.Context, tx pgx.Tx, tenant, ticketID, id string) (domain.Attachment, error) {
	a, err := s.scanAttachment(tx.QueryRow(ctx, `SELECT `+attachmentColumns+` FROM ticket.attachments a
		JOIN ticket.tickets t ON t.id = a.ticket_id
		WHERE a.tenant = $1 AND a.ticket_id = $2 AND a.id = $3 AND a.public AND NOT a.gbv AND t.category <> 'gbv'`,
		tenant, ticketID, id))
	if pg.IsNoRows(err) {
		return a, domain.ErrAttachmentNotFound
	}
	if err != nil {
		return a, fmt.Errorf("store.GetPublicAttachment: %w", err)
	}
	return a, nil
}
