package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

const scheduleColumns = `id, tenant, kind, frequency, recipients, next_run_at, created_by, create_time`

func scanSchedule(row pgx.Row) (domain.ReportSchedule, error) {
	var s domain.ReportSchedule
	err := row.Scan(&s.ID, &s.Tenant, &s.Kind, &s.Frequency, &s.Recipients, &s.NextRunAt, &s.CreatedBy, &s.CreateTime)
	s.NextRunAt, s.CreateTime = s.NextRunAt.UTC(), s.CreateTime.UTC()
	return s, err
}

// InsertSchedule stores a new schedule.
func InsertSchedule(ctx context.Context, tx pgx.Tx, s domain.ReportSchedule) (domain.ReportSchedule, error) {
	if s.Recipients == nil {
		s.Recipients = []string{} // none is an empty list, not NULL
	}
	out, err := scanSchedule(tx.QueryRow(ctx, `INSERT INTO sla.report_schedules (tenant, kind, frequency, recipients,
			next_run_at, created_by, create_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+scheduleColumns,
		s.Tenant, s.Kind, s.Frequency, s.Recipients, s.NextRunAt.UTC(), s.CreatedBy, s.CreateTime.UTC()))
	return out, wrap("store.InsertSchedule", err)
}

// ListSchedules lists a municipality's schedules, oldest first.
func ListSchedules(ctx context.Context, tx pgx.Tx, tenant string) ([]domain.ReportSchedule, error) {
	rows, err := tx.Query(ctx, `SELECT `+scheduleColumns+` FROM sla.report_schedules
		WHERE tenant = $1 AND NOT deleted ORDER BY create_time, id`, tenant)
	if err != nil {
		return nil, wrap("store.ListSchedules", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ReportSchedule, error) { return scanSchedule(r) })
	return out, wrap("store.ListSchedules", err)
}

// DeleteSchedule stops a municipality's schedule (its exports stay).
func DeleteSchedule(ctx context.Context, tx pgx.Tx, tenant, id string) error {
	tag, err := tx.Exec(ctx, `UPDATE sla.report_schedules SET deleted = true WHERE id = $1 AND tenant = $2 AND NOT deleted`, id, tenant)
	if err != nil {
		return wrap("store.DeleteSchedule", err)
	}
	if tag.RowsAffected() == 0 {
		return domain.ErrScheduleNotFound
	}
	return nil
}

// LockDueSchedules locks up to limit schedules due by now, skipping those
// another replica holds.
func LockDueSchedules(ctx context.Context, tx pgx.Tx, now time.Time, limit int) ([]domain.ReportSchedule, error) {
	rows, err := tx.Query(ctx, `SELECT `+scheduleColumns+` FROM sla.report_schedules
		WHERE NOT deleted AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2 FOR UPDATE SKIP LOCKED`, now.UTC(), limit)
	if err != nil {
		return nil, wrap("store.LockDueSchedules", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ReportSchedule, error) { return scanSchedule(r) })
	return out, wrap("store.LockDueSchedules", err)
}

// SetNextRun moves a schedule to its next period.
func SetNextRun(ctx context.Context, tx pgx.Tx, id string, at time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE sla.report_schedules SET next_run_at = $2 WHERE id = $1`, id, at.UTC())
	return wrap("store.SetNextRun", err)
}

// InsertExport keeps a produced file once per schedule and period and
// returns its id; false when that period's file exists already.
func InsertExport(ctx context.Context, tx pgx.Tx, e domain.ReportExport) (string, bool, error) {
	var id string
	err := tx.QueryRow(ctx, `INSERT INTO sla.report_exports (tenant, schedule_id, kind, period, file_name, content_type,
			content, create_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (schedule_id, period) DO NOTHING RETURNING id::text`,
		e.Tenant, e.ScheduleID, e.Kind, e.Period, e.FileName, e.ContentType, e.Content, e.CreateTime.UTC()).Scan(&id)
	if pg.IsNoRows(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap("store.InsertExport", err)
	}
	return id, true, nil
}

const exportColumns = `id, tenant, schedule_id, kind, period, file_name, content_type, octet_length(content), create_time`

func scanExport(row pgx.Row, content bool) (domain.ReportExport, error) {
	var e domain.ReportExport
	dest := []any{&e.ID, &e.Tenant, &e.ScheduleID, &e.Kind, &e.Period, &e.FileName, &e.ContentType, &e.Size, &e.CreateTime}
	if content {
		dest = append(dest, &e.Content)
	}
	err := row.Scan(dest...)
	e.CreateTime = e.CreateTime.UTC()
	return e, err
}

// ListExports lists a municipality's files without their content, newest
// first (of one schedule when scheduleID is set).
func ListExports(ctx context.Context, tx pgx.Tx, tenant, scheduleID string) ([]domain.ReportExport, error) {
	rows, err := tx.Query(ctx, `SELECT `+exportColumns+` FROM sla.report_exports
		WHERE tenant = $1 AND ($2::uuid IS NULL OR schedule_id = $2) ORDER BY create_time DESC, id LIMIT 500`,
		tenant, nullID(scheduleID))
	if err != nil {
		return nil, wrap("store.ListExports", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ReportExport, error) { return scanExport(r, false) })
	return out, wrap("store.ListExports", err)
}

// GetExport returns one of a municipality's files with its content.
func GetExport(ctx context.Context, tx pgx.Tx, tenant, id string) (domain.ReportExport, error) {
	e, err := scanExport(tx.QueryRow(ctx, `SELECT `+exportColumns+`, content FROM sla.report_exports
		WHERE id = $1 AND tenant = $2`, id, tenant), true)
	return e, interpretError("store.GetExport", err, outcomes{noRows: domain.ErrExportNotFound})
}
