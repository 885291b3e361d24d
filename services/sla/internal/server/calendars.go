package server

import (
	"context"
	"slices"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/sla/internal/calendar"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// CreateCalendar implements SlaService.CreateCalendar (platform admins).
func (s *Public) CreateCalendar(ctx context.Context, req *slav1.CreateCalendarRequest) (*slav1.CreateCalendarResponse, error) {
	_, scope, err := caller(ctx, auth.RolePlatformAdmin)
	if err != nil {
		return nil, err
	}
	spec := calendarSpec(req.GetCalendar())
	if vs := spec.Validate("calendar."); len(vs) > 0 {
		return nil, apperr.InvalidFields(vs...)
	}
	out, err := s.app.CreateCalendar(ctx, scope, spec)
	if err != nil {
		return nil, err
	}
	return &slav1.CreateCalendarResponse{Calendar: calendarPB(out)}, nil
}

// UpdateCalendar implements SlaService.UpdateCalendar (platform admins).
func (s *Public) UpdateCalendar(ctx context.Context, req *slav1.UpdateCalendarRequest) (*slav1.UpdateCalendarResponse, error) {
	_, scope, err := caller(ctx, auth.RolePlatformAdmin)
	if err != nil {
		return nil, err
	}
	id, err := pathID(req.GetId(), req.GetCalendar().GetId(), "id", "calendar.id")
	if err != nil {
		return nil, err
	}
	if err := requireUUID("id", id); err != nil {
		return nil, err
	}
	paths := req.GetUpdateMask().GetPaths()
	allowed := []string{"name", "time_zone", "always_open", "intervals", "south_african_holidays", "declared_holidays"}
	if len(paths) == 0 {
		return nil, apperr.Invalid("update_mask", "must list the fields to change")
	}
	for _, p := range paths {
		if !slices.Contains(allowed, p) {
			return nil, apperr.Invalid("update_mask", "may only name name, time_zone, always_open, intervals, south_african_holidays, declared_holidays")
		}
	}
	in := calendarSpec(req.GetCalendar())
	in.ID = id
	out, n, err := s.app.UpdateCalendar(ctx, scope, in.ID, func(c *domain.CalendarSpec) error {
		for _, p := range paths {
			switch p {
			case "name":
				c.Name = in.Name
			case "time_zone":
				c.TimeZone = in.TimeZone
			case "always_open":
				c.AlwaysOpen = in.AlwaysOpen
			case "intervals":
				c.Intervals = in.Intervals
			case "south_african_holidays":
				c.SouthAfricanHolidays = in.SouthAfricanHolidays
			case "declared_holidays":
				c.DeclaredHolidays = in.DeclaredHolidays
			}
		}
		if vs := c.Validate("calendar."); len(vs) > 0 {
			return apperr.InvalidFields(vs...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &slav1.UpdateCalendarResponse{Calendar: calendarPB(out), ClocksRecomputed: int32(n)}, nil
}

// GetCalendar implements SlaService.GetCalendar (staff).
func (s *Public) GetCalendar(ctx context.Context, req *slav1.GetCalendarRequest) (*slav1.GetCalendarResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := requireUUID("id", req.GetId()); err != nil {
		return nil, err
	}
	c, err := s.app.GetCalendar(ctx, scope, req.GetId())
	if err != nil {
		return nil, err
	}
	return &slav1.GetCalendarResponse{Calendar: calendarPB(c)}, nil
}

// ListCalendars implements SlaService.ListCalendars (staff).
func (s *Public) ListCalendars(ctx context.Context, _ *slav1.ListCalendarsRequest) (*slav1.ListCalendarsResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	cs, err := s.app.ListCalendars(ctx, scope)
	if err != nil {
		return nil, err
	}
	out := &slav1.ListCalendarsResponse{}
	for _, c := range cs {
		out.Calendars = append(out.Calendars, calendarPB(c))
	}
	return out, nil
}

// ListPublicHolidays implements SlaService.ListPublicHolidays (any caller:
// the holidays are public knowledge).
func (s *Public) ListPublicHolidays(ctx context.Context, req *slav1.ListPublicHolidaysRequest) (*slav1.ListPublicHolidaysResponse, error) {
	if _, ok := auth.FromContext(ctx); !ok {
		return nil, apperr.Unauthenticated("missing credentials")
	}
	if y := req.GetYear(); y < 1995 || y > 2200 {
		return nil, apperr.Invalid("year", "must be between 1995 and 2200")
	}
	out := &slav1.ListPublicHolidaysResponse{}
	for _, h := range calendar.SouthAfricanHolidays(int(req.GetYear())) {
		out.Holidays = append(out.Holidays, &slav1.DeclaredHoliday{Date: h.Date.String(), Name: h.Name})
	}
	return out, nil
}
