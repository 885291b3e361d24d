package server

import (
	"context"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// CreateCalendar implements SlaService.
func (s *Server) CreateCalendar(ctx context.Context, req *slav1.CreateCalendarRequest) (*slav1.CreateCalendarResponse, error) {
	out, err := s.app.CreateCalendar(ctx, calendarIn(req.GetCalendar()))
	if err != nil {
		return nil, err
	}
	return &slav1.CreateCalendarResponse{Calendar: calendarOut(out)}, nil
}

// UpdateCalendar implements SlaService.
func (s *Server) UpdateCalendar(ctx context.Context, req *slav1.UpdateCalendarRequest) (*slav1.UpdateCalendarResponse, error) {
	out, n, err := s.app.UpdateCalendar(ctx, domain.CalendarUpdate{ID: req.GetId(), Paths: req.GetUpdateMask().GetPaths(),
		Values: calendarIn(req.GetCalendar())})
	if err != nil {
		return nil, err
	}
	return &slav1.UpdateCalendarResponse{Calendar: calendarOut(out), ClocksRecomputed: int32(n)}, nil
}

// GetCalendar implements SlaService.
func (s *Server) GetCalendar(ctx context.Context, req *slav1.GetCalendarRequest) (*slav1.GetCalendarResponse, error) {
	c, err := s.app.GetCalendar(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &slav1.GetCalendarResponse{Calendar: calendarOut(c)}, nil
}

// ListCalendars implements SlaService.
func (s *Server) ListCalendars(ctx context.Context, _ *slav1.ListCalendarsRequest) (*slav1.ListCalendarsResponse, error) {
	cs, err := s.app.ListCalendars(ctx)
	if err != nil {
		return nil, err
	}
	out := &slav1.ListCalendarsResponse{}
	for _, c := range cs {
		out.Calendars = append(out.Calendars, calendarOut(c))
	}
	return out, nil
}

// ListCalendarVersions implements SlaService.
func (s *Server) ListCalendarVersions(ctx context.Context, req *slav1.ListCalendarVersionsRequest) (*slav1.ListCalendarVersionsResponse, error) {
	vs, err := s.app.ListCalendarVersions(ctx, req.GetCalendarId())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListCalendarVersionsResponse{}
	for _, v := range vs {
		out.Versions = append(out.Versions, &slav1.CalendarVersion{Calendar: calendarOut(v.Spec),
			EffectiveTime: ts(v.EffectiveFrom), ChangedBy: v.ChangedBy})
	}
	return out, nil
}

// ListPublicHolidays implements SlaService.
func (s *Server) ListPublicHolidays(ctx context.Context, req *slav1.ListPublicHolidaysRequest) (*slav1.ListPublicHolidaysResponse, error) {
	hs, err := s.app.ListPublicHolidays(ctx, int(req.GetYear()))
	if err != nil {
		return nil, err
	}
	out := &slav1.ListPublicHolidaysResponse{}
	for _, h := range hs {
		out.Holidays = append(out.Holidays, &slav1.DeclaredHoliday{Date: h.Date.String(), Name: h.Name})
	}
	return out, nil
}
