package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

const calendarColumns = `id, name, time_zone, always_open, intervals, south_african_holidays, declared_holidays, create_time, update_time, version`

func scanCalendar(row pgx.Row) (domain.CalendarSpec, error) {
	var s domain.CalendarSpec
	var ivs, hols []byte
	if err := row.Scan(&s.ID, &s.Name, &s.TimeZone, &s.AlwaysOpen, &ivs, &s.SouthAfricanHolidays, &hols, &s.CreateTime, &s.UpdateTime, &s.Version); err != nil {
		return s, err
	}
	s.CreateTime, s.UpdateTime = s.CreateTime.UTC(), s.UpdateTime.UTC()
	if err := json.Unmarshal(ivs, &s.Intervals); err != nil {
		return s, fmt.Errorf("decode intervals: %w", err)
	}
	if err := json.Unmarshal(hols, &s.DeclaredHolidays); err != nil {
		return s, fmt.Errorf("decode declared holidays: %w", err)
	}
	return s, nil
}

func calendarArgs(s domain.CalendarSpec) ([]byte, []byte, error) {
	if s.Intervals == nil {
		s.Intervals = []domain.IntervalSpec{}
	}
	if s.DeclaredHolidays == nil {
		s.DeclaredHolidays = []domain.DeclaredHoliday{}
	}
	ivs, err := json.Marshal(s.Intervals)
	if err != nil {
		return nil, nil, err
	}
	hols, err := json.Marshal(s.DeclaredHolidays)
	return ivs, hols, err
}

// InsertCalendar stores a new calendar as version 1, in force from at.
func InsertCalendar(ctx context.Context, tx pgx.Tx, s domain.CalendarSpec, at time.Time, by string) (domain.CalendarSpec, error) {
	ivs, hols, err := calendarArgs(s)
	if err != nil {
		return s, fmt.Errorf("store.InsertCalendar: %w", err)
	}
	out, err := scanCalendar(tx.QueryRow(ctx, `INSERT INTO sla.calendars (name, time_zone, always_open, intervals,
		south_african_holidays, declared_holidays, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		RETURNING `+calendarColumns, s.Name, s.TimeZone, s.AlwaysOpen, ivs, s.SouthAfricanHolidays, hols, at.UTC()))
	if err != nil {
		return out, interpretError("store.InsertCalendar", err, outcomes{taken: domain.ErrCalendarNameTaken})
	}
	return out, insertCalendarVersion(ctx, tx, out, by)
}

// UpdateCalendar replaces a calendar's settings under the next version, in
// force from at; the earlier versions stay as they were.
func UpdateCalendar(ctx context.Context, tx pgx.Tx, s domain.CalendarSpec, at time.Time, by string) (domain.CalendarSpec, error) {
	ivs, hols, err := calendarArgs(s)
	if err != nil {
		return s, fmt.Errorf("store.UpdateCalendar: %w", err)
	}
	out, err := scanCalendar(tx.QueryRow(ctx, `UPDATE sla.calendars SET name = $2, time_zone = $3, always_open = $4,
		intervals = $5, south_african_holidays = $6, declared_holidays = $7, update_time = $8, version = version + 1
		WHERE id = $1 RETURNING `+calendarColumns, s.ID, s.Name, s.TimeZone, s.AlwaysOpen, ivs, s.SouthAfricanHolidays, hols, at.UTC()))
	if err != nil {
		return out, interpretError("store.UpdateCalendar", err, outcomes{noRows: domain.ErrCalendarNotFound, taken: domain.ErrCalendarNameTaken})
	}
	return out, insertCalendarVersion(ctx, tx, out, by)
}

// insertCalendarVersion appends s as its version, in force from s.UpdateTime.
func insertCalendarVersion(ctx context.Context, tx pgx.Tx, s domain.CalendarSpec, by string) error {
	ivs, hols, err := calendarArgs(s)
	if err != nil {
		return fmt.Errorf("store.insertCalendarVersion: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO sla.calendar_versions (calendar_id, version, effective_from, name, time_zone,
		always_open, intervals, south_african_holidays, declared_holidays, changed_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		s.ID, s.Version, s.UpdateTime, s.Name, s.TimeZone, s.AlwaysOpen, ivs, s.SouthAfricanHolidays, hols, by)
	return wrap("store.insertCalendarVersion", err)
}

const calendarVersionColumns = `calendar_id, name, time_zone, always_open, intervals, south_african_holidays,
	declared_holidays, effective_from, effective_from, version, changed_by`

func scanCalendarVersion(row pgx.Row) (domain.CalendarVersion, error) {
	var v domain.CalendarVersion
	var ivs, hols []byte
	s := &v.Spec
	if err := row.Scan(&s.ID, &s.Name, &s.TimeZone, &s.AlwaysOpen, &ivs, &s.SouthAfricanHolidays, &hols,
		&s.CreateTime, &s.UpdateTime, &s.Version, &v.ChangedBy); err != nil {
		return v, err
	}
	v.EffectiveFrom = s.UpdateTime.UTC()
	s.CreateTime, s.UpdateTime = v.EffectiveFrom, v.EffectiveFrom
	if err := json.Unmarshal(ivs, &s.Intervals); err != nil {
		return v, fmt.Errorf("decode intervals: %w", err)
	}
	if err := json.Unmarshal(hols, &s.DeclaredHolidays); err != nil {
		return v, fmt.Errorf("decode declared holidays: %w", err)
	}
	return v, nil
}

// GetCalendarVersion returns one version of a calendar.
func GetCalendarVersion(ctx context.Context, tx pgx.Tx, ref domain.CalendarRef) (domain.CalendarVersion, error) {
	out, err := scanCalendarVersion(tx.QueryRow(ctx, `SELECT `+calendarVersionColumns+` FROM sla.calendar_versions
		WHERE calendar_id = $1 AND version = $2`, ref.ID, ref.Version))
	return out, interpretError("store.GetCalendarVersion", err, outcomes{noRows: domain.ErrVersionMissing})
}

// ListCalendarVersions lists the versions of a calendar, newest first.
func ListCalendarVersions(ctx context.Context, tx pgx.Tx, id string) ([]domain.CalendarVersion, error) {
	rows, err := tx.Query(ctx, `SELECT `+calendarVersionColumns+` FROM sla.calendar_versions
		WHERE calendar_id = $1 ORDER BY version DESC`, id)
	if err != nil {
		return nil, wrap("store.ListCalendarVersions", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.CalendarVersion, error) { return scanCalendarVersion(r) })
	return out, wrap("store.ListCalendarVersions", err)
}

// CurrentCalendarVersion is the version of calendar id in force now.
func CurrentCalendarVersion(ctx context.Context, tx pgx.Tx, id string) (int64, error) {
	var v int64
	err := tx.QueryRow(ctx, `SELECT version FROM sla.calendars WHERE id = $1`, id).Scan(&v)
	return v, interpretError("store.CurrentCalendarVersion", err, outcomes{noRows: domain.ErrCalendarNotFound})
}

// GetCalendar returns one calendar; lock takes a row lock for an update.
func GetCalendar(ctx context.Context, tx pgx.Tx, id string, lock Lock) (domain.CalendarSpec, error) {
	q := `SELECT ` + calendarColumns + ` FROM sla.calendars WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	out, err := scanCalendar(tx.QueryRow(ctx, q, id))
	return out, interpretError("store.GetCalendar", err, outcomes{noRows: domain.ErrCalendarNotFound})
}

// ListCalendars lists calendars by name.
func ListCalendars(ctx context.Context, tx pgx.Tx) ([]domain.CalendarSpec, error) {
	rows, err := tx.Query(ctx, `SELECT `+calendarColumns+` FROM sla.calendars ORDER BY name`)
	if err != nil {
		return nil, wrap("store.ListCalendars", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.CalendarSpec, error) { return scanCalendar(r) })
	return out, wrap("store.ListCalendars", err)
}

// CalendarExists reports whether calendar id exists.
func CalendarExists(ctx context.Context, tx pgx.Tx, id string) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sla.calendars WHERE id = $1)`, id).Scan(&ok)
	return ok, wrap("store.CalendarExists", err)
}
