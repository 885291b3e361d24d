package app

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// AddTicketNote adds a note to a ticket the caller sees, as
// domain.NewNote.Decide rules, with a `note_added` history entry (the body
// stays out of the history; the detail says the visibility), and for a
// public note by staff the notice that tells the reporter. The answer
// carries the note's body, so a GBV ticket's read is logged.
func (a *App) AddTicketNote(ctx context.Context, n domain.NewNote) (domain.Note, error) {
	c, err := access.Check(ctx, access.Caller.RequirePerson)
	if err != nil {
		return domain.Note{}, err
	}
	if err := n.Decide(c); err != nil {
		return domain.Note{}, err
	}
	var note domain.Note
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		t, err := a.store.GetTicket(ctx, tx, n.TicketID, domain.VisibilityOf(c), store.ForUpdate)
		if err != nil {
			return err
		}
		if err := domain.MayChange(c, t); err != nil {
			return err
		}
		now := a.timestamp()
		note = domain.Note{ID: uuid.NewString(), TicketID: t.ID, Author: c.Subject(), Visibility: n.Visibility, Body: n.Body, CreateTime: now}
		if err := a.store.InsertNote(ctx, tx, t, note, c.IsStaff()); err != nil {
			return err
		}
		h, err := a.store.AppendHistory(ctx, tx, t, domain.HistoryEntry{Kind: domain.HistoryNoteAdded, Actor: c.Subject(),
			Detail: note.Visibility, EventID: uuid.NewString(), CreateTime: now})
		if err != nil {
			return err
		}
		if domain.NotifiesNote(note, c.IsStaff()) {
			if err := a.notifyFollowed(ctx, tx, t, t.NoteNotice(h, note)); err != nil {
				return err
			}
		}
		return a.logReads(ctx, tx, c, "AddTicketNote", t)
	})
	if err != nil {
		return domain.Note{}, wrap("AddTicketNote", err)
	}
	return note, nil
}
