// Package server holds the gRPC handlers of SlaService and
// SlaInternalService: authorization, request validation and the mapping
// between protobuf messages and the domain.
package server

import (
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// categoryName maps CATEGORY_WATER to "water" and UNSPECIFIED to "".
func categoryName(c commonv1.Category) string {
	if c == commonv1.Category_CATEGORY_UNSPECIFIED {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(c.String(), "CATEGORY_"))
}

func categoryEnum(s string) commonv1.Category {
	return commonv1.Category(commonv1.Category_value["CATEGORY_"+strings.ToUpper(s)])
}

func statusName(s commonv1.TicketStatus) string {
	if s == commonv1.TicketStatus_TICKET_STATUS_UNSPECIFIED {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(s.String(), "TICKET_STATUS_"))
}

func statusEnum(s string) commonv1.TicketStatus {
	return commonv1.TicketStatus(commonv1.TicketStatus_value["TICKET_STATUS_"+strings.ToUpper(s)])
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

var clockKinds = map[string]slav1.ClockKind{domain.ClockResponse: slav1.ClockKind_CLOCK_KIND_RESPONSE, domain.ClockResolution: slav1.ClockKind_CLOCK_KIND_RESOLUTION}

var clockStates = map[string]slav1.ClockState{domain.StateRunning: slav1.ClockState_CLOCK_STATE_RUNNING,
	domain.StatePaused: slav1.ClockState_CLOCK_STATE_PAUSED, domain.StateMet: slav1.ClockState_CLOCK_STATE_MET,
	domain.StateBreached: slav1.ClockState_CLOCK_STATE_BREACHED}

func clockPB(c domain.Clock) *slav1.Clock {
	return &slav1.Clock{TicketId: c.TicketID, Tenant: c.Tenant, Category: categoryEnum(c.Category),
		Kind: clockKinds[c.Kind], Cycle: int32(c.Cycle), State: clockStates[c.State], StartTime: ts(c.StartAt),
		Deadline: ts(c.DeadlineAt), WarningTime: ts(c.WarnAt), WarnedTime: ts(c.WarnedAt), StopTime: ts(c.StopAt),
		Elapsed: durationpb.New(c.Elapsed), Paused: durationpb.New(c.Paused), Target: durationpb.New(c.Target),
		ConfigId: c.ConfigID, ConfigVersion: c.ConfigVersion, CalendarId: c.CalendarID, CalendarVersion: c.CalendarVersion}
}

func clocksPB(cs []domain.Clock) []*slav1.Clock {
	out := make([]*slav1.Clock, 0, len(cs))
	for _, c := range cs {
		out = append(out, clockPB(c))
	}
	return out
}

func eventPB(e domain.ClockEvent) *slav1.ClockEvent {
	kind := slav1.ClockEventKind_CLOCK_EVENT_KIND_WARNING
	level := int32(0)
	if e.Kind == domain.EventBreach {
		kind, level = slav1.ClockEventKind_CLOCK_EVENT_KIND_BREACH, int32(e.EscalationLevel)
	}
	return &slav1.ClockEvent{TicketId: e.TicketID, Clock: clockKinds[e.ClockKind], Cycle: int32(e.Cycle),
		Kind: kind, Level: level, CreateTime: ts(e.CreateTime), Tenant: e.Tenant, EventId: e.EventID,
		Step: int32(e.Level), Deadline: ts(e.Deadline)}
}

func configPB(c domain.Config) *slav1.SlaConfig {
	pauses := make([]commonv1.TicketStatus, 0, len(c.PauseStatuses))
	for _, s := range c.PauseStatuses {
		pauses = append(pauses, statusEnum(s))
	}
	return &slav1.SlaConfig{Id: c.ID, Municipality: c.Municipality, Category: categoryEnum(c.Category),
		ResponseHours: c.ResponseHours, ResolutionHours: c.ResolutionHours, WarningThresholdPct: int32(c.WarningPct),
		CalendarId: c.CalendarID, PauseStatuses: pauses, Version: c.Version, CreateTime: ts(c.CreateTime),
		UpdateTime: ts(c.UpdateTime), UpdatedBy: c.UpdatedBy}
}

func calendarPB(s domain.CalendarSpec) *slav1.Calendar {
	out := &slav1.Calendar{Id: s.ID, Name: s.Name, TimeZone: s.TimeZone, AlwaysOpen: s.AlwaysOpen,
		SouthAfricanHolidays: s.SouthAfricanHolidays, CreateTime: ts(s.CreateTime), UpdateTime: ts(s.UpdateTime), Version: s.Version}
	for _, iv := range s.Intervals {
		out.Intervals = append(out.Intervals, &slav1.BusinessInterval{Weekday: slav1.Weekday(iv.Weekday), Start: iv.Start, End: iv.End})
	}
	for _, h := range s.DeclaredHolidays {
		out.DeclaredHolidays = append(out.DeclaredHolidays, &slav1.DeclaredHoliday{Date: h.Date, Name: h.Name})
	}
	return out
}

// calendarSpec reads a Calendar message; the default zone fills an empty one.
func calendarSpec(c *slav1.Calendar) domain.CalendarSpec {
	s := domain.CalendarSpec{ID: c.GetId(), Name: c.GetName(), TimeZone: c.GetTimeZone(), AlwaysOpen: c.GetAlwaysOpen(),
		SouthAfricanHolidays: c.GetSouthAfricanHolidays()}
	if s.TimeZone == "" {
		s.TimeZone = "Africa/Johannesburg"
	}
	for _, iv := range c.GetIntervals() {
		s.Intervals = append(s.Intervals, domain.IntervalSpec{Weekday: int(iv.GetWeekday()), Start: iv.GetStart(), End: iv.GetEnd()})
	}
	for _, h := range c.GetDeclaredHolidays() {
		s.DeclaredHolidays = append(s.DeclaredHolidays, domain.DeclaredHoliday{Date: h.GetDate(), Name: h.GetName()})
	}
	return s
}
