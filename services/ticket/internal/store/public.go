package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// publicColumns are the public fields of a ticket, for alias t. Reporter
// details and sealed content are not even selected, and the cancel reason
// only when staff cancelled: a citizen withdrawing a report may say more
// about themselves than the public should read. Nor is the media URL an
// Open311 client sent: photos are published as attachments staff made
// public, cleaned of their metadata.
const publicColumns = `t.id::text, t.tenant, t.reference, t.category, t.status, t.description,
	ST_Y(t.location), ST_X(t.location), t.address, t.assigned_team_name,
	t.response_deadline, t.resolution_deadline, t.escalated_at, t.escalation_level,
	CASE WHEN t.cancelled_by_staff THEN t.cancel_reason ELSE '' END,
	t.create_time, t.update_time, coalesce(t.duplicate_of::text, '')`

func scanPublic(row pgx.Row) (domain.PublicTicket, error) {
	var (
		t           domain.PublicTicket
		cat, status string
	)
	err := row.Scan(&t.ID, &t.Tenant, &t.Reference, &cat, &status, &t.Description,
		&t.Location.Lat, &t.Location.Lng, &t.Address, &t.AssignedTeamName,
		&t.ResponseDeadline, &t.ResolutionDeadline, &t.EscalatedAt, &t.EscalationLevel, &t.CancelReason,
		&t.CreateTime, &t.UpdateTime, &t.DuplicateOf)
	t.Category, t.Status = domain.Category(cat), domain.Status(status)
	utc(&t.CreateTime)
	utc(&t.UpdateTime)
	return t, err
}

// publicFilters adds f to w, GBV exclusion first.
func publicFilters(w *where, f domain.PublicFilter) {
	w.add("t.category <> 'gbv'")
	w.add("t.tenant = " + w.arg(f.Tenant))
	if len(f.IDs) > 0 {
		w.add("t.id = ANY(" + w.arg(f.IDs) + "::uuid[])")
	}
	filters(w, domain.Filter{Statuses: f.Statuses, Categories: f.Categories,
		CreatedAfter: f.CreatedAfter, UpdatedAfter: f.UpdatedAfter, Near: f.Near})
	// Open311 end dates are inclusive, unlike ListTickets' "before".
	if f.CreatedBefore != nil {
		w.add("t.create_time <= " + w.arg(*f.CreatedBefore))
	}
	if f.UpdatedBefore != nil {
		w.add("t.update_time <= " + w.arg(*f.UpdatedBefore))
	}
}

// ListPublic returns up to f.Limit public tickets after skipping f.Offset,
// newest first, and whether more follow, with their public notes when
// f.WithNotes. Run it under a public scope (access.Caller.PublicScope):
// row-level security then hides GBV rows too, the second wall behind the
// query's own exclusion.
func (s *Store) ListPublic(ctx context.Context, tx pgx.Tx, f domain.PublicFilter) ([]domain.PublicTicket, bool, error) {
	w := &where{}
	publicFilters(w, f)
	query := `SELECT ` + publicColumns + ` FROM ticket.tickets t WHERE ` + w.sql() +
		` ORDER BY t.create_time DESC, t.id DESC LIMIT ` + w.arg(f.Limit+1) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := tx.Query(ctx, query, w.args...)
	if err != nil {
		return nil, false, fmt.Errorf("store.ListPublic: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.PublicTicket, error) { return scanPublic(r) })
	if err != nil {
		return nil, false, fmt.Errorf("store.ListPublic: %w", err)
	}
	more := len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	if f.WithNotes {
		if err := publicNotes(ctx, tx, out); err != nil {
			return nil, false, fmt.Errorf("store.ListPublic: %w", err)
		}
	}
	if err := s.publicAttachments(ctx, tx, out); err != nil {
		return nil, false, fmt.Errorf("store.ListPublic: %w", err)
	}
	return out, more, nil
}

// publicNotes fills the public notes of ts in one query: public notes
// written by staff only. A citizen's public note is for staff and that
// citizen (ListTicketNotes), never for the anonymous Open311 feed.
func publicNotes(ctx context.Context, tx pgx.Tx, ts []domain.PublicTicket) error {
	if len(ts) == 0 {
		return nil
	}
	idx := make(map[string]int, len(ts))
	ids := make([]string, len(ts))
	for i, t := range ts {
		idx[t.ID], ids[i] = i, t.ID
	}
	rows, err := tx.Query(ctx, `SELECT id::text, ticket_id::text, body, create_time FROM ticket.notes
		WHERE ticket_id = ANY($1::uuid[]) AND visibility = 'public' AND by_staff AND NOT gbv
		ORDER BY create_time, id`, ids)
	if err != nil {
		return fmt.Errorf("select notes: %w", err)
	}
	ns, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Note, error) {
		n := domain.Note{Visibility: domain.NotePublic}
		err := r.Scan(&n.ID, &n.TicketID, &n.Body, &n.CreateTime)
		n.CreateTime = n.CreateTime.UTC()
		return n, err
	})
	if err != nil {
		return fmt.Errorf("scan notes: %w", err)
	}
	for _, n := range ns {
		i := idx[n.TicketID]
		ts[i].Notes = append(ts[i].Notes, n)
	}
	return nil
}
