package domain

import (
	"time"

	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

// Why a running segment of a clock ended.
const (
	// SegmentPaused: the ticket entered a pause status.
	SegmentPaused = "paused"
	// SegmentStopped: the clock was met or stopped late.
	SegmentStopped = "stopped"
	// SegmentCalendarChanged: the clock's calendar got a new version.
	SegmentCalendarChanged = "calendar_changed"
	// SegmentPolicyChanged: the ticket's policy changed (edited, created,
	// deleted) or now resolves to another one.
	SegmentPolicyChanged = "policy_changed"
	// SegmentPriorityChanged: the ticket's priority changed, and with it
	// the policy it resolves to.
	SegmentPriorityChanged = "priority_changed"
)

// CalendarRef names one version of a calendar; the zero value is 24x7.
type CalendarRef struct {
	ID      string
	Version int64
}

// Segment is a stretch of time a clock ran under one set of rules: from From
// to To it counted Elapsed working time on calendar version Calendar, under
// policy version ConfigVersion. A clock's elapsed time is the sum of its
// segments; segments are never measured again, so a later edit of a rule
// cannot change time already counted.
type Segment struct {
	From          time.Time
	To            time.Time
	Calendar      CalendarRef
	ConfigID      string
	ConfigVersion int64
	Elapsed       time.Duration
	// EndReason is why it ended (Segment* constants); empty for the open
	// segment of a running clock.
	EndReason string
}

// counting reports whether the clock is counting working time now: running,
// or breached and not yet stopped.
func (c Clock) counting() bool {
	return c.IsOpen() && c.State != StatePaused && !c.ResumedAt.IsZero()
}

// closeSegment ends the running segment at now, measured on cal (the
// calendar version the segment ran under), adds its working time to Elapsed
// and records it in NewSegments; the next segment starts at now. An instant
// before the segment's start (a late event) counts nothing.
func (c *Clock) closeSegment(now time.Time, cal *calendar.Calendar, reason string) {
	if !c.counting() {
		return
	}
	if now.Before(c.ResumedAt) {
		now = c.ResumedAt
	}
	d := cal.BusinessBetween(c.ResumedAt, now)
	if now.After(c.ResumedAt) {
		c.NewSegments = append(c.NewSegments, Segment{From: c.ResumedAt, To: now, Calendar: c.Calendar(),
			ConfigID: c.ConfigID, ConfigVersion: c.ConfigVersion, Elapsed: d, EndReason: reason})
	}
	c.Elapsed += d
	c.ResumedAt = now
}

// OpenSegment is the running segment up to now, nothing when the clock is
// not counting.
func (c Clock) OpenSegment(now time.Time, cal *calendar.Calendar) (Segment, bool) {
	if !c.counting() || !now.After(c.ResumedAt) {
		return Segment{}, false
	}
	return Segment{From: c.ResumedAt, To: now, Calendar: c.Calendar(), ConfigID: c.ConfigID,
		ConfigVersion: c.ConfigVersion, Elapsed: cal.BusinessBetween(c.ResumedAt, now)}, true
}

// Checkpoint ends the running segment at the time a rule changes, measured
// with the rule in force until then (cal is the clock's current calendar
// version). Reschedule then applies the new rule to the rest. Any rule that
// bears on a clock (calendar, policy, and later priority) changes through
// this pair.
func (c *Clock) Checkpoint(at time.Time, cal *calendar.Calendar, reason string) {
	c.closeSegment(at, cal, reason)
}

// Reschedule puts an open clock under policy p and calendar cal (the
// version p names) from its last Checkpoint on:
// deadline, warning and further breach steps are measured from the working
// time counted so far. A clock that is no longer past its (new) warning
// threshold may warn again. Met clocks are history: it reports false.
func (c *Clock) Reschedule(p Policy, cal *calendar.Calendar) bool {
	if !c.IsOpen() {
		return false
	}
	c.applyPolicy(p)
	if c.State != StateBreached && !c.WarnedAt.IsZero() && c.Elapsed < c.WarnTarget {
		c.WarnedAt = time.Time{}
	}
	switch c.State {
	case StateRunning:
		c.schedule(cal)
	case StateBreached:
		// Breached stays breached, the deadline that passed stays as it was;
		// the next escalation steps follow the current target.
		c.NextDueAt = c.nextDue(cal)
	}
	return true
}
