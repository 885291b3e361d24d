// Package domain holds the SLA rules without I/O: policies (their
// defaults, the lookup order and the GBV rules: 24x7, never paused, never
// on the global default), calendars' settings, the clocks of a ticket with
// their state transitions and segments, the validation of every input, and
// the errors the store and the use cases answer with. Subpackage calendar
// does the working-time arithmetic and knows the public holidays.
package domain

import (
	"slices"
	"time"

	"github.com/salga/trustengine/libs/vocab/word"
)

// Lookup steps reported by policy resolution.
const (
	// MatchedMunicipalityCategory is a (municipality, category) policy.
	MatchedMunicipalityCategory = "municipality_category"
	// MatchedCategoryDefault is a category policy for every municipality.
	MatchedCategoryDefault = "category_default"
	// MatchedGlobalDefault is the policy for every municipality and category.
	MatchedGlobalDefault = "global_default"
	// MatchedBuiltIn is the compiled-in default.
	MatchedBuiltIn = "built_in"
	// MatchedMunicipalityCategoryPriority is a (municipality, category,
	// priority) policy.
	MatchedMunicipalityCategoryPriority = "municipality_category_priority"
	// MatchedCategoryPriority is a (category, priority) policy for every
	// municipality.
	MatchedCategoryPriority = "category_priority"
)

// Built-in policy values.
const (
	DefaultResponseHours   = 24.0
	DefaultResolutionHours = 168.0
	DefaultWarningPct      = 80
	GBVResponseHours       = 1.0
	GBVResolutionHours     = 24.0
	MaxHours               = 8760.0
	DefaultPauseStatus     = word.StatusAwaitingCitizen
	defaultGBVWarningPct   = DefaultWarningPct
	microsecondsPerHour    = float64(time.Hour / time.Microsecond)
)

// Config is a stored SLA policy for a (municipality, category); empty
// municipality and category mean "all".
type Config struct {
	ID           string
	Municipality string
	Category     string
	// Priority is the ticket priority the policy is for; "" for every
	// priority.
	Priority        string
	ResponseHours   float64
	ResolutionHours float64
	WarningPct      int
	CalendarID      string
	PauseStatuses   []string
	Version         int64
	CreateTime      time.Time
	UpdateTime      time.Time
	UpdatedBy       string
}

// ConfigVersion is a policy as it was from EffectiveFrom until the next
// version; Deleted marks the version that removed it.
type ConfigVersion struct {
	Config        Config
	EffectiveFrom time.Time
	Deleted       bool
}

// Policy is the effective policy for a ticket: a Config (or the built-in
// defaults) with the GBV rules applied.
type Policy struct {
	// Config is the stored configuration; ID is empty for built-in defaults.
	Config Config
	// Matched is the lookup step that chose it.
	Matched string
	// CalendarVersion is the version of the policy's calendar in force, the
	// one new and rescheduled clocks count on (0 for 24x7).
	CalendarVersion int64
}

// BuiltInConfig is the compiled-in policy of a category.
func BuiltInConfig(category string) Config {
	if category == word.CategoryGBV {
		return Config{Category: category, ResponseHours: GBVResponseHours, ResolutionHours: GBVResolutionHours, WarningPct: defaultGBVWarningPct}
	}
	return Config{ResponseHours: DefaultResponseHours, ResolutionHours: DefaultResolutionHours,
		WarningPct: DefaultWarningPct, PauseStatuses: []string{DefaultPauseStatus}}
}

// ChoosePolicy applies the lookup order to the candidate configurations of a
// (municipality, category) for a ticket of priority ("" for none): the
// municipality's policy for the category and the priority, then for the
// category; the category's policy for the priority, then the category
// default; the global default; built-in. GBV never falls back to the
// global default, whose targets are meant for ordinary service delivery
// and would loosen the GBV promise.
func ChoosePolicy(municipality, category, priority string, candidates []Config) Policy {
	find := func(m, c, p string) (Config, bool) {
		i := slices.IndexFunc(candidates, func(x Config) bool { return x.Municipality == m && x.Category == c && x.Priority == p })
		if i < 0 {
			return Config{}, false
		}
		return candidates[i], true
	}
	if municipality != "" {
		if c, ok := find(municipality, category, priority); ok && priority != "" {
			return Policy{Config: c, Matched: MatchedMunicipalityCategoryPriority}
		}
		if c, ok := find(municipality, category, ""); ok {
			return Policy{Config: c, Matched: MatchedMunicipalityCategory}
		}
	}
	if category != "" {
		if c, ok := find("", category, priority); ok && priority != "" {
			return Policy{Config: c, Matched: MatchedCategoryPriority}
		}
		if c, ok := find("", category, ""); ok {
			return Policy{Config: c, Matched: MatchedCategoryDefault}
		}
	}
	if category != word.CategoryGBV {
		if c, ok := find("", "", ""); ok {
			return Policy{Config: c, Matched: MatchedGlobalDefault}
		}
	}
	return Policy{Config: BuiltInConfig(category), Matched: MatchedBuiltIn}
}

// IsGBV reports whether the policy is for GBV, whose clocks ignore calendars
// and pause statuses.
func (p Policy) IsGBV() bool { return p.Config.Category == word.CategoryGBV }

// CalendarID is the calendar the clocks use; empty means 24x7.
func (p Policy) CalendarID() string {
	if p.IsGBV() {
		return ""
	}
	return p.Config.CalendarID
}

// CalendarRef is the calendar version the clocks use; zero means 24x7.
func (p Policy) CalendarRef() CalendarRef {
	if id := p.CalendarID(); id != "" {
		return CalendarRef{ID: id, Version: p.CalendarVersion}
	}
	return CalendarRef{}
}

// Pauses reports whether status pauses the resolution clock.
func (p Policy) Pauses(status string) bool {
	return !p.IsGBV() && slices.Contains(p.Config.PauseStatuses, status)
}

// Target is the working time allowed for a clock kind.
func (p Policy) Target(kind string) time.Duration {
	h := p.Config.ResolutionHours
	if kind == ClockResponse {
		h = p.Config.ResponseHours
	}
	return HoursToDuration(h)
}

// WarnTarget is the working time after which a clock kind warns.
func (p Policy) WarnTarget(kind string) time.Duration {
	return p.Target(kind) * time.Duration(p.Config.WarningPct) / 100
}

// HoursToDuration converts fractional hours to a duration rounded to the
// microsecond (the storage precision), so tiny test targets like 0.001 h work.
func HoursToDuration(h float64) time.Duration {
	return time.Duration(h*microsecondsPerHour+0.5) * time.Microsecond
}
