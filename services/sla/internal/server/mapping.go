package server

import (
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// Enum values map to the domain's words through libs/vocab (vocab.Optional,
// vocab.Each). A request's UNSPECIFIED value maps to "" (the use case
// applies the default or refuses a missing value); a number the contract
// does not define maps to "" too where the domain refuses "", and is
// refused here where "" means "all".

// timeIn reads an optional timestamp: nil when unset, InvalidArgument
// naming field when out of range.
func timeIn(p *timestamppb.Timestamp, field string) (*time.Time, error) {
	if p == nil {
		return nil, nil
	}
	if err := p.CheckValid(); err != nil {
		return nil, apperr.Invalid(field, "must be a valid timestamp")
	}
	t := p.AsTime()
	return &t, nil
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func clockOut(c domain.Clock) *slav1.Clock {
	return &slav1.Clock{TicketId: c.TicketID, Tenant: c.Tenant, Category: vocab.MustParse[commonv1.Category](c.Category),
		Kind: vocab.MustParse[slav1.ClockKind](c.Kind), Cycle: int32(c.Cycle), State: vocab.MustParse[slav1.ClockState](c.State),
		StartTime: ts(c.StartAt), Deadline: ts(c.DeadlineAt), WarningTime: ts(c.WarnAt), WarnedTime: ts(c.WarnedAt),
		StopTime: ts(c.StopAt), Elapsed: durationpb.New(c.Elapsed), Paused: durationpb.New(c.Paused), Target: durationpb.New(c.Target),
		ConfigId: c.ConfigID, ConfigVersion: c.ConfigVersion, CalendarId: c.CalendarID, CalendarVersion: c.CalendarVersion}
}

func clocksOut(cs []domain.Clock) []*slav1.Clock {
	out := make([]*slav1.Clock, 0, len(cs))
	for _, c := range cs {
		out = append(out, clockOut(c))
	}
	return out
}

// eventOut maps a warning or breach; Level is the escalation level, which
// only breaches take.
func eventOut(e domain.ClockEvent) *slav1.ClockEvent {
	return &slav1.ClockEvent{TicketId: e.TicketID, Clock: vocab.MustParse[slav1.ClockKind](e.ClockKind), Cycle: int32(e.Cycle),
		Kind: vocab.MustParse[slav1.ClockEventKind](e.Kind), Level: int32(e.EscalationLevel), CreateTime: ts(e.CreateTime),
		Tenant: e.Tenant, EventId: e.EventID, Step: int32(e.Level), Deadline: ts(e.Deadline)}
}

func eventsOut(es []domain.ClockEvent) []*slav1.ClockEvent {
	out := make([]*slav1.ClockEvent, 0, len(es))
	for _, e := range es {
		out = append(out, eventOut(e))
	}
	return out
}

func segmentOut(sg domain.Segment) *slav1.ClockSegment {
	return &slav1.ClockSegment{StartTime: ts(sg.From), EndTime: ts(sg.To), CalendarId: sg.Calendar.ID,
		CalendarVersion: sg.Calendar.Version, ConfigId: sg.ConfigID, ConfigVersion: sg.ConfigVersion,
		Elapsed: durationpb.New(sg.Elapsed), EndReason: vocab.MustParse[slav1.SegmentEndReason](sg.EndReason)}
}

func configOut(c domain.Config) *slav1.SlaConfig {
	pauses := make([]commonv1.TicketStatus, 0, len(c.PauseStatuses))
	for _, s := range c.PauseStatuses {
		pauses = append(pauses, vocab.MustParse[commonv1.TicketStatus](s))
	}
	return &slav1.SlaConfig{Id: c.ID, Municipality: c.Municipality, Category: vocab.MustParse[commonv1.Category](c.Category),
		ResponseHours: c.ResponseHours, ResolutionHours: c.ResolutionHours, WarningThresholdPct: int32(c.WarningPct),
		CalendarId: c.CalendarID, PauseStatuses: pauses, Version: c.Version, CreateTime: ts(c.CreateTime),
		UpdateTime: ts(c.UpdateTime), UpdatedBy: c.UpdatedBy, Priority: vocab.MustParse[commonv1.Priority](c.Priority)}
}

// configIn reads a policy as the request gives it; category is its word.
func configIn(c *slav1.SlaConfig, category string) domain.Config {
	return domain.Config{ID: c.GetId(), Municipality: c.GetMunicipality(), Category: category, ResponseHours: c.GetResponseHours(),
		ResolutionHours: c.GetResolutionHours(), WarningPct: int(c.GetWarningThresholdPct()), CalendarID: c.GetCalendarId(),
		PauseStatuses: vocab.Each(c.GetPauseStatuses()), Priority: vocab.Word(c.GetPriority())}
}

func calendarOut(s domain.CalendarSpec) *slav1.Calendar {
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

// calendarIn reads a Calendar message. A weekday is its number (1 Monday
// ... 7 Sunday, as stored); domain refuses any other.
func calendarIn(c *slav1.Calendar) domain.CalendarSpec {
	s := domain.CalendarSpec{ID: c.GetId(), Name: c.GetName(), TimeZone: c.GetTimeZone(), AlwaysOpen: c.GetAlwaysOpen(),
		SouthAfricanHolidays: c.GetSouthAfricanHolidays()}
	for _, iv := range c.GetIntervals() {
		s.Intervals = append(s.Intervals, domain.IntervalSpec{Weekday: int(iv.GetWeekday()), Start: iv.GetStart(), End: iv.GetEnd()})
	}
	for _, h := range c.GetDeclaredHolidays() {
		s.DeclaredHolidays = append(s.DeclaredHolidays, domain.DeclaredHoliday{Date: h.GetDate(), Name: h.GetName()})
	}
	return s
}
