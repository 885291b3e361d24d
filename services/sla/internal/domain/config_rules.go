package domain

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab/word"
)

// WithDefaults fills what a new policy left unset with its category's
// built-in values. Every category but GBV pauses in awaiting_citizen unless
// it names its own pause statuses; GBV names none, since its clocks never
// pause (Policy.Pauses ignores any it is given).
func (c Config) WithDefaults() Config {
	def := BuiltInConfig(c.Category)
	if c.ResponseHours == 0 {
		c.ResponseHours = def.ResponseHours
	}
	if c.ResolutionHours == 0 {
		c.ResolutionHours = def.ResolutionHours
	}
	if c.WarningPct == 0 {
		c.WarningPct = def.WarningPct
	}
	if len(c.PauseStatuses) == 0 && c.Category != word.CategoryGBV {
		c.PauseStatuses = []string{DefaultPauseStatus}
	}
	return c
}

// Validate refuses a policy with bad values, naming every field as in the
// contract (config.<field>). A pause status "" stands for a value the
// contract does not define or UNSPECIFIED.
func (c Config) Validate() error {
	var vs apperr.Violations
	bad := func(f, r string) { vs.Add("config."+f, r) }
	if c.Municipality != "" && !IsMunicipality(c.Municipality) {
		bad("municipality", "must be empty or a municipality code such as CPT")
	}
	hours := func(f string, h float64) {
		if math.IsNaN(h) || h <= 0 || h > MaxHours {
			bad(f, "must be greater than 0 and at most 8760")
		}
	}
	hours("response_hours", c.ResponseHours)
	hours("resolution_hours", c.ResolutionHours)
	if c.WarningPct < 1 || c.WarningPct > 99 {
		bad("warning_threshold_pct", "must be between 1 and 99")
	}
	if c.CalendarID != "" && !isID(c.CalendarID) {
		bad("calendar_id", "must be empty or a calendar UUID")
	}
	for i, s := range c.PauseStatuses {
		if !slices.Contains(openStatuses, s) {
			bad(fmt.Sprintf("pause_statuses[%d]", i), "must be an open status (open, in_progress, awaiting_citizen)")
		}
	}
	if c.Priority != "" && c.Category == "" {
		bad("priority", "needs a category: a priority's targets are set per category")
	}
	return vs.Err()
}

// openStatuses are the statuses a clock may pause in: the final ones stop
// it.
var openStatuses = []string{word.StatusOpen, word.StatusInProgress, word.StatusAwaitingCitizen}

// configPaths are the fields an update of a policy may change; the
// municipality and category are its identity.
var configPaths = []string{"response_hours", "resolution_hours", "warning_threshold_pct", "calendar_id", "pause_statuses"}

// ConfigUpdate changes the fields Paths names of policy ID to their values
// in Values.
type ConfigUpdate struct {
	// ID names the policy (from the URL path); Values.ID may name it too.
	ID     string
	Paths  []string
	Values Config
}

// Resolve settles which policy the update names (pathID) and refuses an
// update without a policy id or with a bad mask.
func (u *ConfigUpdate) Resolve() (err error) {
	if u.ID, err = apperr.PathID(u.ID, u.Values.ID, "id", "config.id"); err != nil {
		return err
	}
	if err := CheckID(u.ID, "id"); err != nil {
		return err
	}
	return checkMask(u.Paths, configPaths)
}

// Apply changes c as the update says and validates the result.
func (u ConfigUpdate) Apply(c *Config) error {
	for _, p := range u.Paths {
		switch p {
		case "response_hours":
			c.ResponseHours = u.Values.ResponseHours
		case "resolution_hours":
			c.ResolutionHours = u.Values.ResolutionHours
		case "warning_threshold_pct":
			c.WarningPct = u.Values.WarningPct
		case "calendar_id":
			c.CalendarID = u.Values.CalendarID
		case "pause_statuses":
			c.PauseStatuses = u.Values.PauseStatuses
		}
	}
	return c.Validate()
}

// checkMask refuses an update mask that is empty or names a field outside
// allowed.
func checkMask(paths, allowed []string) error {
	if len(paths) == 0 {
		return apperr.Invalid("update_mask", "must list the fields to change")
	}
	for _, p := range paths {
		if !slices.Contains(allowed, p) {
			return apperr.Invalid("update_mask", "may only name "+strings.Join(allowed, ", "))
		}
	}
	return nil
}

// PolicyQuery asks which policy applies to a ticket of Category in
// Municipality.
type PolicyQuery struct {
	Municipality string
	Category     string
	// Priority of the ticket; "" for none.
	Priority string
}

// Validate refuses a query without a municipality code or a category.
func (q PolicyQuery) Validate() error {
	if !IsMunicipality(q.Municipality) {
		return apperr.Invalid("municipality", "must be a municipality code such as CPT")
	}
	if q.Category == "" {
		return apperr.Invalid("category", "must be a known category")
	}
	return nil
}

// Actions of a recorded change of a rule.
const (
	ActionCreated         = "created"
	ActionUpdated         = "updated"
	ActionDeleted         = "deleted"
	ActionCalendarUpdated = "calendar_updated"
)

// ConfigChange is one recorded change of a policy or calendar, with how
// many open clocks it moved.
type ConfigChange struct {
	ConfigID         string
	CalendarID       string
	Version          int64
	ChangedBy        string
	Action           string
	ClocksRecomputed int
	CreateTime       time.Time
}
