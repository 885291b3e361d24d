package domain

import (
	"strings"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
)

// NewNote is a note as a caller asks to add it.
type NewNote struct {
	// TicketID is the ticket it is about.
	TicketID string
	// Visibility is NoteInternal, NotePublic, or "" for the caller's default.
	Visibility string
	// Body is the text.
	Body string
}

// Decide validates n and rules on who may write it: staff write internal
// or public notes (internal by default); a citizen writes public notes on
// their own tickets only (visibility already limits a citizen to those);
// platform admins read but do not write.
func (n *NewNote) Decide(c access.Caller) error {
	if err := CheckID(n.TicketID, "ticket_id"); err != nil {
		return err
	}
	n.Body = strings.TrimSpace(n.Body)
	if r := TextRule(n.Body, MaxNoteBody, true); r != "" {
		return apperr.Invalid("body", r)
	}
	if n.Visibility == "" {
		n.Visibility = NoteInternal
		if !c.IsStaff() {
			n.Visibility = NotePublic
		}
	}
	if !c.IsStaff() && !c.IsCitizen() {
		return apperr.PermissionDenied("platform admins do not write notes")
	}
	if !c.IsStaff() && n.Visibility != NotePublic {
		return apperr.PermissionDenied("citizens can only write public notes")
	}
	return nil
}

// ReadsInternal reports whether c reads internal notes, and the history
// entries of their adding: staff and platform admins, not reporters.
func ReadsInternal(c access.Caller) bool { return !OwnOnly(c) }

// Shown reports whether history entry h is shown to a reader who does (or
// does not) read internal notes: a reporter does not learn that internal
// notes were added.
func (h HistoryEntry) Shown(withInternal bool) bool {
	return withInternal || h.Kind != HistoryNoteAdded || h.Detail != NoteInternal
}
