package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

const calendarColumns = `id, name, time_zone, always_open, intervals, south_african_holidays, declared_holidays, create_time, update_time`

func scanCalendar(row pgx.Row) (domain.CalendarSpec, error) {
	var s domain.CalendarSpec
	var ivs, hols []byte
	if err := row.Scan(&s.ID, &s.Name, &s.TimeZone, &s.AlwaysOpen, &ivs, &s.SouthAfricanHolidays, &hols, &s.CreateTime, &s.UpdateTime); err != nil {
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

// InsertCalendar stores a new calendar.
func InsertCalendar(ctx context.Context, tx pgx.Tx, s domain.CalendarSpec) (domain.CalendarSpec, error) {
	ivs, hols, err := calendarArgs(s)
	if err != nil {
		return s, fmt.Errorf("store.InsertCalendar: %w", err)
	}
	out, err := scanCalendar(tx.QueryRow(ctx, `INSERT INTO sla.calendars (name, time_zone, always_open, intervals,
		south_african_holidays, declared_holidays) VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+calendarColumns,
		s.Name, s.TimeZone, s.AlwaysOpen, ivs, s.SouthAfricanHolidays, hols))
	return out, interpretError("store.InsertCalendar", err)
}

// UpdateCalendar replaces a calendar's settings.
func UpdateCalendar(ctx context.Context, tx pgx.Tx, s domain.CalendarSpec) (domain.CalendarSpec, error) {
	ivs, hols, err := calendarArgs(s)
	if err != nil {
		return s, fmt.Errorf("store.UpdateCalendar: %w", err)
	}
	out, err := scanCalendar(tx.QueryRow(ctx, `UPDATE sla.calendars SET name = $2, time_zone = $3, always_open = $4,
		intervals = $5, south_african_holidays = $6, declared_holidays = $7, update_time = now()
		WHERE id = $1 RETURNING `+calendarColumns, s.ID, s.Name, s.TimeZone, s.AlwaysOpen, ivs, s.SouthAfricanHolidays, hols))
	return out, interpretError("store.UpdateCalendar", err)
}

// GetCalendar returns one calendar; lock takes a row lock for an update.
func GetCalendar(ctx context.Context, tx pgx.Tx, id string, lock bool) (domain.CalendarSpec, error) {
	q := `SELECT ` + calendarColumns + ` FROM sla.calendars WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	out, err := scanCalendar(tx.QueryRow(ctx, q, id))
	return out, interpretError("store.GetCalendar", err)
}

// ListCalendars lists calendars by name.
func ListCalendars(ctx context.Context, tx pgx.Tx) ([]domain.CalendarSpec, error) {
	rows, err := tx.Query(ctx, `SELECT `+calendarColumns+` FROM sla.calendars ORDER BY name`)
	if err != nil {
		return nil, interpretError("store.ListCalendars", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.CalendarSpec, error) { return scanCalendar(r) })
	return out, interpretError("store.ListCalendars", err)
}
