package domain

import (
	"time"

	"github.com/google/uuid"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/sla/internal/domain/calendar"
)

// Limits and defaults of the requests.
const (
	// DefaultPageSize is the page of a list that names none.
	DefaultPageSize = 100
	// MaxPageSize bounds a page.
	MaxPageSize = 1000
	// DefaultSweepLimit is how many due clocks an asked-for sweep handles
	// when the request names no limit.
	DefaultSweepLimit = 1000
	// MaxSweepLimit bounds an asked-for sweep.
	MaxSweepLimit = 100000
	// ComplianceWindow is the period of a compliance report that names no
	// start: the 30 days before its end.
	ComplianceWindow = 30 * 24 * time.Hour
	// FirstHolidayYear and LastHolidayYear bound the years whose public
	// holidays are listed: the Act dates from 1994.
	FirstHolidayYear = 1995
	LastHolidayYear  = 2200
)

// IsMunicipality reports whether s is a municipality code (one definition
// for the platform, libs/auth).
func IsMunicipality(s string) bool { return auth.IsTenantCode(s) }

// CheckMunicipalityFilter refuses a municipality filter that is neither
// empty (every municipality) nor a municipality code.
func CheckMunicipalityFilter(m string) error {
	if m != "" && !IsMunicipality(m) {
		return apperr.Invalid("municipality", "must be empty or a municipality code such as CPT")
	}
	return nil
}

// CheckID refuses an id that is not a UUID, naming field.
func CheckID(id, field string) error {
	if !isID(id) {
		return apperr.Invalid(field, "must be a UUID")
	}
	return nil
}

// isID reports whether id is a UUID.
func isID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil
}

// pageSize applies the default page size and refuses one out of range,
// naming field.
func pageSize(n int, field string) (int, error) {
	if n < 0 || n > MaxPageSize {
		return 0, apperr.Invalid(field, "must be between 0 and 1000")
	}
	if n == 0 {
		return DefaultPageSize, nil
	}
	return n, nil
}

// SweepLimit applies the default limit of an asked-for sweep and refuses
// one out of range.
func SweepLimit(n int) (int, error) {
	if n < 0 || n > MaxSweepLimit {
		return 0, apperr.Invalid("limit", "must be between 0 and 100000")
	}
	if n == 0 {
		return DefaultSweepLimit, nil
	}
	return n, nil
}

// PublicHolidays returns South Africa's public holidays of year as
// observed, refusing a year outside the Act's reach.
func PublicHolidays(year int) ([]calendar.Holiday, error) {
	if year < FirstHolidayYear || year > LastHolidayYear {
		return nil, apperr.Invalid("year", "must be between 1995 and 2200")
	}
	return calendar.SouthAfricanHolidays(year), nil
}

// FeedQuery asks for the clock events after a cursor.
type FeedQuery struct {
	// After is the cursor of the last event the consumer handled; "" for
	// the start of the feed.
	After string
	// PageSize is the most events to return; 0 for the default.
	PageSize int
}

// Resolve applies the default page size and refuses one out of range.
func (q *FeedQuery) Resolve() (err error) {
	q.PageSize, err = pageSize(q.PageSize, "page_size")
	return err
}

// AtRiskQuery selects a municipality's warned (and optionally breached)
// clocks.
type AtRiskQuery struct {
	Tenant string
	// Category is "" for every category.
	Category        string
	IncludeBreached bool
	// IncludeGBV is the caller's right to see GBV clocks, not a request.
	IncludeGBV bool
	PageSize   int
	// PriorityFirst orders by priority (P1 first, none last) before the
	// deadline.
	PriorityFirst bool
}

// Resolve applies the default page size and refuses one out of range.
func (q *AtRiskQuery) Resolve() (err error) {
	q.PageSize, err = pageSize(q.PageSize, "page_size")
	return err
}

// ComplianceQuery asks for a municipality's figures over a period; a nil
// bound takes its default (the end now, the start ComplianceWindow before
// the end).
type ComplianceQuery struct {
	Tenant     string
	Start, End *time.Time
}

// Period resolves the query's period at now, refusing one that does not
// run forwards.
func (q ComplianceQuery) Period(now time.Time) (start, end time.Time, err error) {
	end = now
	if q.End != nil {
		end = *q.End
	}
	start = end.Add(-ComplianceWindow)
	if q.Start != nil {
		start = *q.Start
	}
	if !start.Before(end) {
		return start, end, apperr.Invalid("start_time", "must be before end_time")
	}
	return start, end, nil
}
