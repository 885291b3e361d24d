package domain

import "fmt"

// Status is a step of the ticket life cycle, as stored.
type Status string

// The statuses of the life cycle.
const (
	StatusOpen            Status = "open"
	StatusInProgress      Status = "in_progress"
	StatusAwaitingCitizen Status = "awaiting_citizen"
	StatusResolved        Status = "resolved"
	StatusClosed          Status = "closed"
	StatusCancelled       Status = "cancelled"
)

// transitions is the life cycle of the design and nothing more: in particular
// awaiting_citizen -> resolved is absent, staff resume work first, so the SLA
// resolution clock always restarts before it can be met.
var transitions = map[Status][]Status{
	StatusOpen:            {StatusInProgress, StatusCancelled},
	StatusInProgress:      {StatusAwaitingCitizen, StatusResolved, StatusCancelled},
	StatusAwaitingCitizen: {StatusInProgress},
	StatusResolved:        {StatusClosed, StatusInProgress},
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

// Change is the effect of a legal status move on a ticket.
type Change struct {
	// FirstResponse is true when this move is staff's first move out of open.
	FirstResponse bool
}
