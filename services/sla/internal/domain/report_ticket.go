package domain

import (
	"time"

	"github.com/salga/trustengine/libs/vocab/word"
)

// ReportTicket is what reports know of one ticket: its dimensions and the
// outcome of its clocks. It is derived from the ticket's state and clocks
// (ReportTicketOf) after every change of them and never edited otherwise.
type ReportTicket struct {
	TicketID, Tenant, Category string
	WardCode, TeamID, Priority string
	// Day is the date reported on (South African time).
	Day        time.Time
	CreateTime time.Time
	Status     string
	Cancelled  bool
	// Open is whether the ticket is still to be resolved (the backlog).
	Open bool
	// RespondTime is the first response (zero when none).
	RespondTime      time.Time
	ResponseBusiness time.Duration
	// ResponseMet and ResponseBreached are the response clock's outcome
	// against the SLA policy; ResponsePending is a response clock still
	// running within it.
	ResponseMet, ResponseBreached, ResponsePending bool
	// ResolveTime is the end of the last resolution cycle of a resolved
	// or closed ticket (zero otherwise).
	ResolveTime        time.Time
	ResolutionBusiness time.Duration
	// ResolutionMet: resolved with every cycle on time; ResolutionBreached:
	// some cycle breached; ResolutionPending: neither yet.
	ResolutionMet, ResolutionBreached, ResolutionPending bool
}

// ReportTicketOf derives a ticket's report row from its state and clocks.
// A cancelled ticket counts as reported and cancelled only: it has no
// outcome.
func ReportTicketOf(t TicketState, clocks []Clock) (ReportTicket, bool) {
	r := ReportTicket{TicketID: t.TicketID, Tenant: t.Tenant, Category: t.Category, WardCode: t.WardCode,
		TeamID: t.TeamID, Priority: t.Priority, Status: t.Status}
	var resp *Clock
	var cycles []Clock
	for i := range clocks {
		if clocks[i].Kind == ClockResponse {
			resp = &clocks[i]
		} else {
			cycles = append(cycles, clocks[i])
		}
	}
	if resp == nil {
		return r, false
	}
	r.CreateTime, r.Day = resp.StartAt, DayOf(resp.StartAt)
	r.Cancelled = t.Status == word.StatusCancelled
	resolved := t.Status == word.StatusResolved || t.Status == word.StatusClosed
	r.Open = !r.Cancelled && !resolved
	if r.Cancelled {
		return r, true
	}
	if !resp.StopAt.IsZero() {
		r.RespondTime, r.ResponseBusiness = resp.StopAt, resp.Elapsed
	}
	r.ResponseMet = resp.State == StateMet
	r.ResponseBreached = resp.State == StateBreached
	r.ResponsePending = resp.State == StateRunning || resp.State == StatePaused
	last := Clock{}
	for _, c := range cycles {
		r.ResolutionBusiness += c.Elapsed
		if c.State == StateBreached {
			r.ResolutionBreached = true
		}
		if c.Cycle > last.Cycle {
			last = c
		}
	}
	if resolved && last.Cycle > 0 && !last.StopAt.IsZero() {
		r.ResolveTime = last.StopAt
		r.ResolutionMet = !r.ResolutionBreached
	}
	r.ResolutionPending = !r.ResolutionMet && !r.ResolutionBreached
	return r, true
}

// Responded24h is whether the first response came within 24 hours of the
// report (wall clock).
func (r ReportTicket) Responded24h() bool {
	return !r.RespondTime.IsZero() && r.RespondTime.Sub(r.CreateTime) <= Within24h
}

// DailyKey is the cell of report_daily a ticket counts in.
type DailyKey struct {
	Tenant                               string
	Day                                  time.Time
	Category, WardCode, TeamID, Priority string
}

// Key is the ticket's cell.
func (r ReportTicket) Key() DailyKey {
	return DailyKey{Tenant: r.Tenant, Day: r.Day, Category: r.Category, WardCode: r.WardCode, TeamID: r.TeamID, Priority: r.Priority}
}

// DailyCounts are the sums report_daily keeps per cell; a ticket adds its
// own (Counts) and a change replaces them (Minus, Plus).
type DailyCounts struct {
	Tickets, Cancelled                             int64
	Responded, Responded24h                        int64
	ResponseMet, ResponseBreached, ResponsePending int64
	Resolved, ResolutionMet, ResolutionBreached    int64
	ResolutionPending, Open                        int64
	ResponseWallUS, ResponseBusinessUS             int64
	ResolutionWallUS, ResolutionBusinessUS         int64
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Counts is the ticket's contribution to its cell.
func (r ReportTicket) Counts() DailyCounts {
	c := DailyCounts{Tickets: 1, Cancelled: b2i(r.Cancelled), Open: b2i(r.Open)}
	if r.Cancelled {
		return c
	}
	c.ResponseMet, c.ResponseBreached, c.ResponsePending = b2i(r.ResponseMet), b2i(r.ResponseBreached), b2i(r.ResponsePending)
	c.ResolutionMet, c.ResolutionBreached, c.ResolutionPending = b2i(r.ResolutionMet), b2i(r.ResolutionBreached), b2i(r.ResolutionPending)
	if !r.RespondTime.IsZero() {
		c.Responded, c.Responded24h = 1, b2i(r.Responded24h())
		c.ResponseWallUS, c.ResponseBusinessUS = us(r.RespondTime.Sub(r.CreateTime)), us(r.ResponseBusiness)
	}
	if !r.ResolveTime.IsZero() {
		c.Resolved = 1
		c.ResolutionWallUS, c.ResolutionBusinessUS = us(r.ResolveTime.Sub(r.CreateTime)), us(r.ResolutionBusiness)
	}
	return c
}

func us(d time.Duration) int64 { return int64(d / time.Microsecond) }

// Minus is c - o, field by field.
func (c DailyCounts) Minus(o DailyCounts) DailyCounts {
	return DailyCounts{c.Tickets - o.Tickets, c.Cancelled - o.Cancelled, c.Responded - o.Responded,
		c.Responded24h - o.Responded24h, c.ResponseMet - o.ResponseMet, c.ResponseBreached - o.ResponseBreached,
		c.ResponsePending - o.ResponsePending, c.Resolved - o.Resolved, c.ResolutionMet - o.ResolutionMet,
		c.ResolutionBreached - o.ResolutionBreached, c.ResolutionPending - o.ResolutionPending, c.Open - o.Open,
		c.ResponseWallUS - o.ResponseWallUS, c.ResponseBusinessUS - o.ResponseBusinessUS,
		c.ResolutionWallUS - o.ResolutionWallUS, c.ResolutionBusinessUS - o.ResolutionBusinessUS}
}

// IsZero reports whether every count is 0.
func (c DailyCounts) IsZero() bool { return c == DailyCounts{} }

// Delta is a change of one cell's counts.
type Delta struct {
	Key    DailyKey
	Counts DailyCounts
}

// Deltas are the cell changes that replace a ticket's old row (nil when
// it had none) with its new one: one delta when its cell stays, two when
// it moved (another ward, team or priority), none when nothing changed.
func Deltas(old *ReportTicket, cur ReportTicket) []Delta {
	if old == nil {
		return []Delta{{Key: cur.Key(), Counts: cur.Counts()}}
	}
	if old.Key() == cur.Key() {
		d := cur.Counts().Minus(old.Counts())
		if d.IsZero() {
			return nil
		}
		return []Delta{{Key: cur.Key(), Counts: d}}
	}
	return []Delta{{Key: old.Key(), Counts: DailyCounts{}.Minus(old.Counts())}, {Key: cur.Key(), Counts: cur.Counts()}}
}
