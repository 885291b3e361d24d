package domain

import (
	"fmt"
	"strings"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// Priority is how urgent a ticket is, as stored: one of the Priority words
// of libs/vocab/word, or "" for none.
type Priority string

// rank orders priorities: 1 is P1 (most urgent), 4 is P4; "" ranks last.
func (p Priority) rank() int {
	for i, w := range word.Priorities() {
		if string(p) == w {
			return i + 1
		}
	}
	return 5
}

// ofRank is the priority of rank r, clamped to P1..P4.
func ofRank(r int) Priority {
	ps := word.Priorities()
	return Priority(ps[min(max(r, 1), len(ps))-1])
}

// MoreUrgent returns the more urgent of p and q.
func (p Priority) MoreUrgent(q Priority) Priority {
	if q.rank() < p.rank() {
		return q
	}
	return p
}

// categoryPriority is the priority a category's reports start from: GBV is
// danger to a person; an exposed cable or a sewer overflow is a danger to
// health more often than a pothole; uncollected refuse can wait a day.
var categoryPriority = map[Category]Priority{
	word.CategoryGBV:         word.PriorityP1Critical,
	word.CategoryElectricity: word.PriorityP2High,
	word.CategorySanitation:  word.PriorityP2High,
	word.CategoryWater:       word.PriorityP3Medium,
	word.CategoryRoads:       word.PriorityP3Medium,
	word.CategoryOther:       word.PriorityP3Medium,
	word.CategoryWaste:       word.PriorityP4Low,
}

// Linked-report thresholds: a problem reported this many times more is
// raised one priority step, and again at the second threshold.
const (
	LinkedRaiseOne = 5
	LinkedRaiseTwo = 20
)

// SuggestPriority is the rule's priority for a ticket of category with
// description and linked duplicates: the category's default, raised to the
// most urgent of the municipality's keywords found in the description,
// then one step for LinkedRaiseOne linked reports and another for
// LinkedRaiseTwo.
func SuggestPriority(category Category, description string, linked int, keywords []PriorityKeyword) Priority {
	p, ok := categoryPriority[category]
	if !ok {
		p = word.PriorityP3Medium
	}
	text := strings.ToLower(description)
	for _, k := range keywords {
		if strings.Contains(text, strings.ToLower(k.Phrase)) {
			p = p.MoreUrgent(k.Priority)
		}
	}
	r := p.rank()
	if linked >= LinkedRaiseOne {
		r--
	}
	if linked >= LinkedRaiseTwo {
		r--
	}
	return ofRank(r)
}

// PriorityChange is a priority change as staff ask for it.
type PriorityChange struct {
	TicketID string
	// To is the priority asked for ("" when unspecified or unknown).
	To     Priority
	Reason string
}

// Validate refuses a malformed request, naming the field; the reason is
// trimmed first and required.
func (r *PriorityChange) Validate() error {
	if err := CheckID(r.TicketID, "id"); err != nil {
		return err
	}
	if r.To == "" {
		return apperr.Invalid("priority", "must be one of PRIORITY_P1_CRITICAL to PRIORITY_P4_LOW")
	}
	r.Reason = strings.TrimSpace(r.Reason)
	if rule := TextRule(r.Reason, MaxReason, true); rule != "" {
		return apperr.Invalid("reason", rule)
	}
	return nil
}

// PriorityEntry is the `priority_changed` history entry of t moving from
// priority from, by actor with reason.
func PriorityEntry(t Ticket, from Priority, actor, reason string) HistoryEntry {
	return HistoryEntry{TicketID: t.ID, Kind: HistoryPriorityChanged, Actor: actor, Reason: reason,
		Detail: fmt.Sprintf("%s -> %s", orNone(from), orNone(t.Priority))}
}

func orNone(p Priority) string {
	if p == "" {
		return "none"
	}
	return string(p)
}
