package domain_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

// fields returns the fields err names, or fails when it is not
// InvalidArgument.
func fields(t *testing.T, err error) []string {
	t.Helper()
	var e *apperr.Error
	require.True(t, errors.As(err, &e), "an apperr error: %v", err)
	var out []string
	for _, v := range e.Violations() {
		out = append(out, v.Field)
	}
	return out
}

func TestANewPolicyTakesItsCategorysDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   domain.Config
		want domain.Config
	}{
		{"a water policy that names nothing gets 24 h, 168 h, 80 % and a pause in awaiting_citizen",
			domain.Config{Category: "water"},
			domain.Config{Category: "water", ResponseHours: 24, ResolutionHours: 168, WarningPct: 80, PauseStatuses: []string{"awaiting_citizen"}}},
		{"the global default gets the same",
			domain.Config{},
			domain.Config{ResponseHours: 24, ResolutionHours: 168, WarningPct: 80, PauseStatuses: []string{"awaiting_citizen"}}},
		{"a GBV policy gets 1 h, 24 h, 80 % and no pause status",
			domain.Config{Category: "gbv", Municipality: "CPT"},
			domain.Config{Category: "gbv", Municipality: "CPT", ResponseHours: 1, ResolutionHours: 24, WarningPct: 80}},
		{"what a policy names is kept",
			domain.Config{Category: "roads", ResponseHours: 2, ResolutionHours: 3, WarningPct: 50, PauseStatuses: []string{"open"}},
			domain.Config{Category: "roads", ResponseHours: 2, ResolutionHours: 3, WarningPct: 50, PauseStatuses: []string{"open"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.in.WithDefaults()
			require.Equal(t, tt.want, got)
			require.NoError(t, got.Validate())
		})
	}
}

func TestGBVClocksRunAllHoursAndNeverPauseWhateverTheirPolicySays(t *testing.T) {
	t.Parallel()
	cfg := domain.Config{ID: uuid.NewString(), Municipality: "CPT", Category: word.CategoryGBV, ResponseHours: 2, ResolutionHours: 30,
		WarningPct: 80, CalendarID: uuid.NewString(), PauseStatuses: []string{"open", "in_progress", "awaiting_citizen"}}
	p := domain.ChoosePolicy("CPT", word.CategoryGBV, "", []domain.Config{cfg})
	require.Equal(t, domain.MatchedMunicipalityCategory, p.Matched)
	require.Empty(t, p.CalendarID(), "GBV clocks ignore the policy's calendar")
	require.Equal(t, domain.CalendarRef{}, p.CalendarRef(), "they count on 24x7")
	for _, s := range []string{"open", "in_progress", "awaiting_citizen"} {
		require.False(t, p.Pauses(s), "GBV clocks never pause in %s", s)
	}
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	ev := domain.TicketEvent{Tenant: "CPT", TicketID: uuid.NewString(), Category: word.CategoryGBV, Kind: domain.EventCreated, At: start}
	clocks := domain.StartClocks(ev, p, domain.Calendars{})
	require.Equal(t, domain.StateRunning, clocks[1].State, "the resolution clock runs from the start")
	ev.Kind, ev.From, ev.To, ev.At = domain.EventStatusChanged, "open", "awaiting_citizen", start.Add(time.Minute)
	require.Empty(t, domain.ApplyStatusChange(clocks, ev, p, domain.Calendars{}), "awaiting the citizen changes no GBV clock")
	global := domain.Config{ResponseHours: 500, ResolutionHours: 5000, WarningPct: 99}
	require.Equal(t, domain.MatchedBuiltIn, domain.ChoosePolicy("CPT", word.CategoryGBV, "", []domain.Config{global}).Matched,
		"the global default never loosens GBV")
}

func TestAPolicyWithBadValuesIsRefusedNamingEveryField(t *testing.T) {
	t.Parallel()
	good := domain.Config{Municipality: "CPT", Category: "water", ResponseHours: 1, ResolutionHours: 2, WarningPct: 80}
	tests := []struct {
		name string
		edit func(*domain.Config)
		want []string
	}{
		{"a municipality that is no code", func(c *domain.Config) { c.Municipality = "cape town" }, []string{"config.municipality"}},
		{"zero, negative, NaN and too many hours", func(c *domain.Config) { c.ResponseHours, c.ResolutionHours = math.NaN(), 8761 },
			[]string{"config.response_hours", "config.resolution_hours"}},
		{"a threshold of 100", func(c *domain.Config) { c.WarningPct = 100 }, []string{"config.warning_threshold_pct"}},
		{"a calendar id that is no UUID", func(c *domain.Config) { c.CalendarID = "office" }, []string{"config.calendar_id"}},
		{"a final or unknown pause status, by index", func(c *domain.Config) { c.PauseStatuses = []string{"open", "resolved", ""} },
			[]string{"config.pause_statuses[1]", "config.pause_statuses[2]"}},
	}
	require.NoError(t, good.Validate())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := good
			tt.edit(&c)
			require.Equal(t, tt.want, fields(t, c.Validate()))
		})
	}
}

func TestATicketEventIsRefusedNamingEveryBadField(t *testing.T) {
	t.Parallel()
	good := domain.TicketEvent{EventID: uuid.NewString(), Tenant: "CPT", TicketID: uuid.NewString(), Category: "water",
		Kind: domain.EventCreated, To: "open", At: time.Now(), Sequence: 1}
	tests := []struct {
		name string
		edit func(*domain.TicketEvent)
		want []string
	}{
		{"nothing set", func(e *domain.TicketEvent) { *e = domain.TicketEvent{Sequence: -1} },
			[]string{"event_id", "ticket_id", "tenant", "occur_time", "sequence", "kind"}},
		{"a created event without a category", func(e *domain.TicketEvent) { e.Category = "" }, []string{"category"}},
		{"a status change without the status it moves to", func(e *domain.TicketEvent) { e.Kind, e.To = domain.EventStatusChanged, "" },
			[]string{"to_status"}},
		{"a tenant that is no code", func(e *domain.TicketEvent) { e.Tenant = "cpt" }, []string{"tenant"}},
	}
	require.NoError(t, good.Validate())
	require.Equal(t, "CPT", good.ForTenant())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := good
			tt.edit(&e)
			require.Equal(t, tt.want, fields(t, e.Validate()))
		})
	}
}

func TestAnUpdateChangesOnlyTheFieldsItsMaskNames(t *testing.T) {
	t.Parallel()
	id := uuid.NewString()
	stored := domain.Config{ID: id, Municipality: "CPT", Category: "water", ResponseHours: 24, ResolutionHours: 168, WarningPct: 80,
		PauseStatuses: []string{"awaiting_citizen"}}
	u := domain.ConfigUpdate{ID: id, Paths: []string{"resolution_hours", "pause_statuses"},
		Values: domain.Config{ResponseHours: 1, ResolutionHours: 100, Municipality: "JHB"}}
	require.NoError(t, u.Resolve())
	c := stored
	require.NoError(t, u.Apply(&c))
	want := stored
	want.ResolutionHours, want.PauseStatuses = 100, nil
	require.Equal(t, want, c, "response hours and the municipality are not in the mask")

	cal := domain.CalendarSpec{ID: id, Name: "office", TimeZone: "UTC", AlwaysOpen: true}
	cu := domain.CalendarUpdate{ID: id, Paths: []string{"time_zone"}, Values: domain.CalendarSpec{Name: "renamed"}}
	require.NoError(t, cu.Resolve())
	require.NoError(t, cu.Apply(&cal))
	require.Equal(t, domain.CalendarSpec{ID: id, Name: "office", TimeZone: calendar.DefaultTimeZone, AlwaysOpen: true}, cal,
		"an empty time zone is the default one; the name is not in the mask")

	refused := []struct {
		name  string
		u     domain.ConfigUpdate
		field string
	}{
		{"an empty mask", domain.ConfigUpdate{ID: id}, "update_mask"},
		{"a mask naming the category", domain.ConfigUpdate{ID: id, Paths: []string{"category"}}, "update_mask"},
		{"no id", domain.ConfigUpdate{Paths: []string{"resolution_hours"}}, "id"},
		{"a body naming another policy than the path", domain.ConfigUpdate{ID: id, Paths: []string{"resolution_hours"},
			Values: domain.Config{ID: uuid.NewString()}}, "config.id"},
	}
	for _, tt := range refused {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			t.Parallel()
			require.Equal(t, []string{tt.field}, fields(t, tt.u.Resolve()))
		})
	}
	byBody := domain.ConfigUpdate{Paths: []string{"warning_threshold_pct"}, Values: domain.Config{ID: id}}
	require.NoError(t, byBody.Resolve())
	require.Equal(t, id, byBody.ID, "the id inside the body names the policy when the path names none")
}
