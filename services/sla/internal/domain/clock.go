package domain

import (
	"time"

	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

// Clock kinds and states as stored.
const (
	ClockResponse   = "response"
	ClockResolution = "resolution"

	StateRunning  = "running"
	StatePaused   = "paused"
	StateMet      = "met"
	StateBreached = "breached"
)

// MaxBreachSteps is how many escalation steps one clock can raise: the first
// at its deadline, then one more each further full target overdue. It bounds
// escalation of a forgotten ticket while still waking someone up again.
const MaxBreachSteps = 3

// Clock is one SLA clock of a ticket. Zero times mean "not set".
type Clock struct {
	Tenant   string
	TicketID string
	Category string
	// Priority is the ticket priority the clock's policy was resolved for.
	Priority   string
	Kind       string
	Cycle      int
	State      string
	StartAt    time.Time
	ResumedAt  time.Time // start of the current running segment
	DeadlineAt time.Time
	WarnAt     time.Time
	WarnedAt   time.Time
	// WarnCount is how many warnings the clock raised; a policy loosened
	// past the working time so far lets it warn once more.
	WarnCount     int
	BreachSteps   int
	StopAt        time.Time
	Elapsed       time.Duration // working time up to ResumedAt (or the pause/stop)
	Paused        time.Duration
	PausedSince   time.Time
	Target        time.Duration
	WarnTarget    time.Duration
	ConfigID      string
	ConfigVersion int64
	CalendarID    string
	// CalendarVersion is the version of CalendarID the running segment is
	// measured on (0 for 24x7).
	CalendarVersion int64
	NextDueAt       time.Time
	// NewSegments are the segments closed since the clock was loaded, for
	// the store to append to the clock's history.
	NewSegments []Segment
}

// Calendar is the calendar version the clock counts on.
func (c Clock) Calendar() CalendarRef {
	return CalendarRef{ID: c.CalendarID, Version: c.CalendarVersion}
}

// StartClock starts a clock of kind at `at` under policy p.
func StartClock(tenant, ticketID, category, kind string, cycle int, at time.Time, p Policy, cal *calendar.Calendar) Clock {
	c := Clock{Tenant: tenant, TicketID: ticketID, Category: category, Kind: kind, Cycle: cycle,
		State: StateRunning, StartAt: at, ResumedAt: at}
	c.applyPolicy(p)
	c.schedule(cal)
	return c
}

func (c *Clock) applyPolicy(p Policy) {
	c.Target, c.WarnTarget = p.Target(c.Kind), p.WarnTarget(c.Kind)
	c.ConfigID, c.ConfigVersion = p.Config.ID, p.Config.Version
	ref := p.CalendarRef()
	c.CalendarID, c.CalendarVersion = ref.ID, ref.Version
}

// IsOpen reports whether the clock still counts (running, paused, or breached
// and not yet stopped).
func (c Clock) IsOpen() bool {
	return c.StopAt.IsZero() && c.State != StateMet
}

// ElapsedAt is the working time counted up to now.
func (c Clock) ElapsedAt(now time.Time, cal *calendar.Calendar) time.Duration {
	if !c.IsOpen() || c.State == StatePaused || c.ResumedAt.IsZero() {
		return c.Elapsed
	}
	return c.Elapsed + cal.BusinessBetween(c.ResumedAt, now)
}

// schedule sets deadline and warning time from the remaining working time,
// counted from the start of the running segment (Elapsed is the working
// time before it).
func (c *Clock) schedule(cal *calendar.Calendar) {
	c.DeadlineAt = cal.AddBusiness(c.ResumedAt, c.Target-c.Elapsed)
	c.WarnAt = cal.AddBusiness(c.ResumedAt, c.WarnTarget-c.Elapsed)
	c.NextDueAt = c.nextDue(cal)
}

// nextDue is the earliest pending warning or breach step, zero when none.
func (c Clock) nextDue(cal *calendar.Calendar) time.Time {
	if !c.IsOpen() || c.State == StatePaused {
		return time.Time{}
	}
	if c.WarnedAt.IsZero() && c.BreachSteps == 0 {
		return c.WarnAt
	}
	if c.BreachSteps >= MaxBreachSteps {
		return time.Time{}
	}
	return c.StepDue(c.BreachSteps+1, cal)
}

// StepDue is when breach step k (1 = the deadline) falls due: when the
// working time reaches k targets, so each further step is one more full
// target past the deadline. It is measured from the running segment, so a
// rule change moves only the steps still ahead.
func (c Clock) StepDue(k int, cal *calendar.Calendar) time.Time {
	if c.ResumedAt.IsZero() {
		// No running segment to measure from (a clock stored without one):
		// count from the deadline.
		return cal.AddBusiness(c.DeadlineAt, time.Duration(k-1)*c.Target)
	}
	return cal.AddBusiness(c.ResumedAt, time.Duration(k)*c.Target-c.Elapsed)
}

// Pause stops counting at now, keeping the working time so far. Only running
// clocks pause: a breached clock is already late and keeps escalating.
func (c *Clock) Pause(now time.Time, cal *calendar.Calendar) bool {
	if c.State != StateRunning {
		return false
	}
	c.closeSegment(now, cal, SegmentPaused)
	c.State, c.PausedSince = StatePaused, now
	c.ResumedAt, c.DeadlineAt, c.WarnAt, c.NextDueAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return true
}

// Resume counts again from now; the deadline moves by the paused time.
func (c *Clock) Resume(now time.Time, cal *calendar.Calendar) bool {
	if c.State != StatePaused {
		return false
	}
	if now.After(c.PausedSince) {
		c.Paused += now.Sub(c.PausedSince)
	}
	c.State, c.PausedSince, c.ResumedAt = StateRunning, time.Time{}, now
	c.schedule(cal)
	return true
}

// Stop ends the clock at now: met when on time, breached when late.
func (c *Clock) Stop(now time.Time, cal *calendar.Calendar) bool {
	if !c.IsOpen() {
		return false
	}
	c.closeSegment(now, cal, SegmentStopped)
	if c.State == StatePaused {
		c.Paused += now.Sub(c.PausedSince)
		c.PausedSince = time.Time{}
	}
	if c.Elapsed > c.Target || c.State == StateBreached {
		c.State = StateBreached
	} else {
		c.State = StateMet
	}
	c.StopAt, c.NextDueAt = now, time.Time{}
	return true
}

// Reopen counts a stopped clock again from at (not before it stopped),
// with the working time counted until it stopped: a met clock runs again,
// a breached one stays breached and escalates on. It reports false for a
// clock that was not stopped.
func (c *Clock) Reopen(at time.Time, cal *calendar.Calendar) bool {
	if c.StopAt.IsZero() {
		return false
	}
	if at.Before(c.StopAt) {
		at = c.StopAt
	}
	c.StopAt, c.ResumedAt = time.Time{}, at
	if c.State == StateMet {
		c.State = StateRunning
	}
	if c.State == StateRunning {
		c.schedule(cal)
	} else {
		c.NextDueAt = c.nextDue(cal)
	}
	return true
}

// ChangePriority moves an open clock onto policy p, resolved for the
// ticket's new priority, from at on: the running segment is closed at at
// and measured as before (cal is the clock's own calendar version), the
// rest against p and its calendar (pcal). It reports whether the clock
// changed.
func (c *Clock) ChangePriority(priority string, at time.Time, p Policy, cal, pcal *calendar.Calendar) bool {
	if !c.IsOpen() {
		return false
	}
	c.Priority = priority
	c.Checkpoint(at, cal, SegmentPriorityChanged)
	return c.Reschedule(p, pcal)
}
