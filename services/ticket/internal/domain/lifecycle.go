package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// Status is a step of the ticket life cycle, as stored: one of the Status
// words of libs/vocab/word.
type Status string

// transitions is the life cycle of the design and nothing more: in particular
// awaiting_citizen -> resolved is absent, staff resume work first, so the SLA
// resolution clock always restarts before it can be met.
var transitions = map[Status][]Status{
	word.StatusOpen:            {word.StatusInProgress, word.StatusCancelled},
	word.StatusInProgress:      {word.StatusAwaitingCitizen, word.StatusResolved, word.StatusCancelled},
	word.StatusAwaitingCitizen: {word.StatusInProgress},
	word.StatusResolved:        {word.StatusClosed, word.StatusInProgress},
}

// CheckTransition returns nil when from -> to is a legal move, else a message
// naming the transition and why it is refused.
func CheckTransition(from, to Status) error {
	if from == to {
		return fmt.Errorf("transition %s -> %s not allowed: the ticket is already %s", from, to, to)
	}
	allowed := transitions[from]
	for _, s := range allowed {
		if s == to {
			return nil
		}
	}
	if len(allowed) == 0 {
		return fmt.Errorf("transition %s -> %s not allowed: %s is final", from, to, from)
	}
	return fmt.Errorf("transition %s -> %s not allowed: from %s a ticket may only move to %v", from, to, from, allowed)
}

// StatusChange is a status change as a caller asks for it.
type StatusChange struct {
	// TicketID is the ticket to move.
	TicketID string
	// To is the status asked for ("" when unknown).
	To Status
	// Reason is why; required to cancel.
	Reason string
}

// Validate refuses a malformed request, naming the field; the reason is
// trimmed first.
func (r *StatusChange) Validate() error {
	if err := CheckID(r.TicketID, "id"); err != nil {
		return err
	}
	if r.To == "" {
		return apperr.Invalid("status", "must be a ticket status")
	}
	r.Reason = strings.TrimSpace(r.Reason)
	if rule := TextRule(r.Reason, MaxReason, r.To == word.StatusCancelled); rule != "" {
		return apperr.Invalid("reason", rule)
	}
	return nil
}

// MayChangeStatus says who may ask for a status change at all: staff (agent,
// team manager, municipal admin, and the SAPS liaison, the only staff who see
// GBV tickets) and citizens, whose move DecideMove narrows further. Platform
// admins do not work tickets.
func MayChangeStatus(c access.Caller) error {
	if !c.IsStaff() && !c.IsCitizen() {
		return apperr.PermissionDenied("only municipal staff change ticket status")
	}
	return nil
}

// Move is a decided status change.
type Move struct {
	// From and To are the statuses before and after.
	From, To Status
	// Reason is recorded in the history (and as cancel_reason on cancel).
	Reason string
	// FirstResponse marks staff's first move out of open.
	FirstResponse bool
	// ByStaff marks a move made by staff (a cancel by staff may reach
	// Open311 with its reason; a citizen's may not).
	ByStaff bool
}

// DecideMove rules on r against the current ticket t: staff may make any
// legal move; a citizen may only cancel their own ticket while it is open,
// with a reason (withdrawing a report needs nobody's help, working it
// does). An illegal transition is FailedPrecondition naming it.
func DecideMove(c access.Caller, t Ticket, r StatusChange) (Move, error) {
	if err := MayChange(c, t); err != nil {
		return Move{}, err
	}
	staff := c.IsStaff()
	if !staff && !(r.To == word.StatusCancelled && t.Status == word.StatusOpen && t.ReporterSubject == c.Subject()) {
		return Move{}, apperr.PermissionDenied("a citizen may only cancel their own open ticket")
	}
	if err := CheckTransition(t.Status, r.To); err != nil {
		return Move{}, apperr.FailedPrecondition(err.Error())
	}
	return Move{From: t.Status, To: r.To, Reason: r.Reason, ByStaff: staff,
		FirstResponse: staff && t.Status == word.StatusOpen && t.FirstRespondedAt == nil}, nil
}

// Apply returns t after m, made at now.
func (t Ticket) Apply(m Move, now time.Time) Ticket {
	t.Status, t.UpdateTime = m.To, now
	if m.FirstResponse && t.FirstRespondedAt == nil {
		t.FirstRespondedAt = &now
	}
	switch m.To {
	case word.StatusResolved:
		t.ResolveTime = &now
	case word.StatusClosed:
		t.CloseTime = &now
	case word.StatusCancelled:
		t.CancelReason = m.Reason
	}
	return t
}

// DetailFirstResponse is the detail of the history entry of staff's first
// move out of open; SLA stops the response clock on it.
const DetailFirstResponse = "first_response"

// Entry is the `status_changed` history entry of m, by actor.
func (m Move) Entry(ticketID, actor string) HistoryEntry {
	h := HistoryEntry{TicketID: ticketID, Kind: HistoryStatusChanged, Actor: actor, From: m.From, To: m.To, Reason: m.Reason}
	if m.FirstResponse {
		h.Detail = DetailFirstResponse
	}
	return h
}
