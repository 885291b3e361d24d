package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// AddTicketNote adds a note. Staff write internal or public notes on tickets
// they see; a citizen writes public notes on their own tickets only (the
// store's visibility already limits a citizen to those). Platform admins
// read but do not write.
func (a *App) AddTicketNote(ctx context.Context, v domain.Viewer, ticketID, visibility, body string) (domain.Note, error) {
	if err := requirePublic(v); err != nil {
		return domain.Note{}, err
	}
	if err := checkID(ticketID, "ticket_id"); err != nil {
		return domain.Note{}, err
	}
	body = strings.TrimSpace(body)
	if r := domain.TextRule(body, domain.MaxNoteBody, true); r != "" {
		return domain.Note{}, apperr.Invalid("body", r)
	}
	if visibility == "" {
		visibility = domain.NoteInternal
		if !v.IsStaff() {
			visibility = domain.NotePublic
		}
	}
	if !v.IsStaff() && !v.Has(domain.RoleCitizen) {
		return domain.Note{}, apperr.PermissionDenied("platform admins do not write notes")
	}
	if !v.IsStaff() && visibility != domain.NotePublic {
		return domain.Note{}, apperr.PermissionDenied("citizens can only write public notes")
	}
	n, err := a.store.AddNote(ctx, v, ticketID, domain.Note{Visibility: visibility, Body: body}, func(domain.Ticket) error { return nil })
	if err != nil {
		return domain.Note{}, fmt.Errorf("app.AddTicketNote: %w", err)
	}
	return n, nil
}

// ListTicketNotes lists the notes the viewer may read, oldest first:
// internal notes are for staff and platform admins only.
func (a *App) ListTicketNotes(ctx context.Context, v domain.Viewer, ticketID string) ([]domain.Note, error) {
	if err := requirePublic(v); err != nil {
		return nil, err
	}
	if err := checkID(ticketID, "ticket_id"); err != nil {
		return nil, err
	}
	ns, err := a.store.ListNotes(ctx, v, ticketID, !v.OwnOnly())
	if err != nil {
		return nil, fmt.Errorf("app.ListTicketNotes: %w", err)
	}
	return ns, nil
}

// GetTicketHistory returns the history of a ticket the viewer may see; a
// citizen does not see that internal notes were added.
func (a *App) GetTicketHistory(ctx context.Context, v domain.Viewer, ticketID string) ([]domain.HistoryEntry, error) {
	if err := requirePublic(v); err != nil {
		return nil, err
	}
	if err := checkID(ticketID, "ticket_id"); err != nil {
		return nil, err
	}
	hs, err := a.store.History(ctx, v, ticketID, !v.OwnOnly())
	if err != nil {
		return nil, fmt.Errorf("app.GetTicketHistory: %w", err)
	}
	return hs, nil
}
