package peers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// SLA reads calendars from the SLA service's public API.
type SLA struct {
	c slav1.SlaServiceClient
}

// NewSLA returns the SLA adapter over conn (dialed with libs/peers).
func NewSLA(conn grpc.ClientConnInterface) *SLA {
	return &SLA{c: slav1.NewSlaServiceClient(conn)}
}

// CalendarFor implements app.Calendars: the calendar of the SLA policy of
// tenant's category (always open for a policy without one), with South
// African public holidays of at's year and the next when it counts them.
func (s *SLA) CalendarFor(ctx context.Context, tenant, category string, at time.Time) (domain.Calendar, error) {
	ctx = libpeers.ForTenant(ctx, tenant)
	pol, err := s.c.ResolveSlaPolicy(ctx, &slav1.ResolveSlaPolicyRequest{Municipality: tenant, Category: vocab.MustParse[commonv1.Category](category)})
	if err != nil {
		return domain.Calendar{}, fmt.Errorf("peers.CalendarFor: %w", err)
	}
	id := pol.GetConfig().GetCalendarId()
	if id == "" {
		return domain.Calendar{AlwaysOpen: true}, nil
	}
	got, err := s.c.GetCalendar(ctx, &slav1.GetCalendarRequest{Id: id})
	if err != nil {
		return domain.Calendar{}, fmt.Errorf("peers.CalendarFor: %w", err)
	}
	c := got.GetCalendar()
	loc, err := time.LoadLocation(c.GetTimeZone())
	if err != nil || c.GetTimeZone() == "" {
		loc = domain.Johannesburg
	}
	out := domain.Calendar{Location: loc, AlwaysOpen: c.GetAlwaysOpen(), Holidays: map[string]bool{}}
	for _, iv := range c.GetIntervals() {
		wd := time.Weekday(int(iv.GetWeekday()) % 7) // the contract's Monday is 1, Sunday 7
		out.Intervals = append(out.Intervals, domain.Interval{Weekday: wd, Start: minutes(iv.GetStart()), End: minutes(iv.GetEnd())})
	}
	for _, h := range c.GetDeclaredHolidays() {
		out.Holidays[h.GetDate()] = true
	}
	if c.GetSouthAfricanHolidays() {
		for _, y := range []int{at.Year(), at.Year() + 1} {
			hs, err := s.c.ListPublicHolidays(ctx, &slav1.ListPublicHolidaysRequest{Year: int32(y)})
			if err != nil {
				return domain.Calendar{}, fmt.Errorf("peers.CalendarFor: %w", err)
			}
			for _, h := range hs.GetHolidays() {
				out.Holidays[h.GetDate()] = true
			}
		}
	}
	return out, nil
}

// minutes reads "HH:MM" as minutes from midnight ("24:00" is 1440).
func minutes(hhmm string) int {
	h, m, _ := strings.Cut(hhmm, ":")
	hi, _ := strconv.Atoi(h)
	mi, _ := strconv.Atoi(m)
	return hi*60 + mi
}
