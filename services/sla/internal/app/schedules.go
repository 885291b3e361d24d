package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/store"
)

// Renderer writes reports as files (package server renders them as the
// gateway's CSV, so a scheduled file and a downloaded one are alike).
type Renderer interface {
	// Indicators renders indicator values.
	Indicators(vals []domain.IndicatorValue) ([]byte, error)
	// Compliance renders compliance rows.
	Compliance(rows []ComplianceRow) ([]byte, error)
	// ContentType is the type of what it renders.
	ContentType() string
}

// CreateReportSchedule schedules a report for a municipality (its
// municipal admin or a platform admin); the first file is due when the
// period running now ends.
func (a *App) CreateReportSchedule(ctx context.Context, s domain.ReportSchedule) (domain.ReportSchedule, error) {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return s, err
	}
	if s.Tenant, err = c.Tenant(s.Tenant, "schedule.tenant"); err != nil {
		return s, err
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	var out domain.ReportSchedule
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		now, err := a.now(ctx, tx)
		if err != nil {
			return err
		}
		s.CreatedBy, s.CreateTime, s.NextRunAt = c.Subject(), now, s.FirstRun(now)
		out, err = store.InsertSchedule(ctx, tx, s)
		return err
	})
	return out, wrap("CreateReportSchedule", err)
}

// ListReportSchedules lists a municipality's schedules to its staff.
func (a *App) ListReportSchedules(ctx context.Context, tenant string) ([]domain.ReportSchedule, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, err
	}
	if tenant, err = c.Tenant(tenant, "tenant"); err != nil {
		return nil, err
	}
	var out []domain.ReportSchedule
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = store.ListSchedules(ctx, tx, tenant)
		return err
	})
	return out, wrap("ListReportSchedules", err)
}

// DeleteReportSchedule stops a schedule of the caller's municipality (an
// admin's); its files are kept.
func (a *App) DeleteReportSchedule(ctx context.Context, id string) error {
	c, err := access.Check(ctx, access.Caller.RequireAdmin)
	if err != nil {
		return err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return err
	}
	tenant, err := c.Tenant("", "tenant")
	if err != nil {
		return err
	}
	return wrap("DeleteReportSchedule", a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		return store.DeleteSchedule(ctx, tx, tenant, id)
	}))
}

// ListReportExports lists a municipality's produced files to its staff.
func (a *App) ListReportExports(ctx context.Context, tenant, scheduleID string) ([]domain.ReportExport, error) {
	c, err := access.Check(ctx, access.Caller.RequireStaff)
	if err != nil {
		return nil, err
	}
	if tenant, err = c.Tenant(tenant, "tenant"); err != nil {
		return nil, err
	}
	if scheduleID != "" {
		if err := domain.CheckID(scheduleID, "schedule_id"); err != nil {
			return nil, err
		}
	}
	var out []domain.ReportExport
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		out, err = store.ListExports(ctx, tx, tenant, scheduleID)
		return err
	})
	return out, wrap("ListReportExports", err)
}

// GetReportExport returns a file of the caller's municipality with its
// content (a platform admin's of any municipality).
func (a *App) GetReportExport(ctx context.Context, id string) (domain.ReportExport, error) {
	var e domain.ReportExport
	c, err := access.Check(ctx, access.Caller.RequireStaff)
	if err != nil {
		return e, err
	}
	if err := domain.CheckID(id, "id"); err != nil {
		return e, err
	}
	err = a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		tenant := c.OwnTenant()
		if c.AllTenants() {
			// A platform admin reads any municipality's: find its tenant
			// under the admin's scope (row-level security lets it).
			if err := tx.QueryRow(ctx, `SELECT tenant FROM sla.report_exports WHERE id = $1`, id).Scan(&tenant); err != nil {
				return domain.ErrExportNotFound
			}
		}
		e, err = store.GetExport(ctx, tx, tenant, id)
		return err
	})
	return e, wrap("GetReportExport", err)
}

// reporter is the caller of the periodic production: the process's own
// work across every municipality.
var reporter = access.System("sla-reports")

// ProduceDueReports produces the file of every schedule whose period has
// ended, each in its own transaction with the schedule locked (SKIP
// LOCKED: replicas share the work) and the file kept once per schedule
// and period; a schedule behind by several periods (after downtime) gets
// each in turn. Files count no GBV. A new file's mail to the schedule's
// recipients is recorded in the same transaction (a job for the notify
// service). It returns how many files it kept.
func (a *App) ProduceDueReports(ctx context.Context, r Renderer, log *slog.Logger) (int, error) {
	made := 0
	for {
		var got int
		var handled bool
		err := a.inTx(ctx, reporter.Scope(), func(tx pgx.Tx) error {
			got, handled = 0, false
			now, err := a.now(ctx, tx)
			if err != nil {
				return err
			}
			due, err := store.LockDueSchedules(ctx, tx, now, 1)
			if err != nil || len(due) == 0 {
				return err
			}
			s := due[0]
			handled = true
			p := s.PeriodEndingAt(s.NextRunAt)
			content, err := a.render(ctx, tx, r, s, p, now)
			if err != nil {
				return err
			}
			e := domain.ReportExport{Tenant: s.Tenant, ScheduleID: s.ID, Kind: s.Kind,
				Period: p.Label, FileName: s.FileName(p), ContentType: r.ContentType(), Content: content, CreateTime: now}
			var fresh bool
			if e.ID, fresh, err = store.InsertExport(ctx, tx, e); err != nil {
				return err
			}
			if fresh {
				got = 1
				// The file goes to its recipients by the notify service,
				// recorded with the file: a kept file is always mailed.
				if len(s.Recipients) > 0 {
					if err := a.jobs.ReportMail(ctx, tx, s.Mail(e, p)); err != nil {
						return err
					}
				}
				log.InfoContext(ctx, "report produced", "tenant", s.Tenant, "schedule", s.ID, "period", p.Label,
					"recipients", len(s.Recipients))
			}
			return store.SetNextRun(ctx, tx, s.ID, s.RunAfter(s.NextRunAt))
		})
		if err != nil {
			return made, wrap("ProduceDueReports", err)
		}
		if !handled {
			return made, nil // nothing due that another replica is not doing
		}
		made += got
	}
}

// render computes a schedule's report for period p, without GBV.
func (a *App) render(ctx context.Context, tx pgx.Tx, r Renderer, s domain.ReportSchedule, p domain.Period, now time.Time) ([]byte, error) {
	if s.Kind == domain.ReportIndicators {
		vals, err := computeIndicators(ctx, tx, s.Tenant, p, domain.Indicators, nil, now)
		if err != nil {
			return nil, err
		}
		return r.Indicators(vals)
	}
	sums, err := store.DailySums(ctx, tx, store.ReportQuery{Tenant: s.Tenant, Start: p.Start, End: p.End,
		Dims: []domain.Dimension{domain.DimCategory}})
	if err != nil {
		return nil, err
	}
	rows := make([]ComplianceRow, 0, len(sums))
	for _, g := range sums {
		rows = append(rows, ComplianceRow{Group: g.Group, Counts: g.Counts})
	}
	return r.Compliance(rows)
}
