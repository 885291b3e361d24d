package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

// AtRiskClocks returns, per ticket, the open warned or breached clock closest
// to (or furthest past) its deadline, soonest deadline first.
func AtRiskClocks(ctx context.Context, tx pgx.Tx, f domain.AtRiskQuery) ([]domain.Clock, error) {
	rows, err := tx.Query(ctx, `SELECT `+clockColumns+` FROM (
			SELECT DISTINCT ON (ticket_id) * FROM sla.clocks
			WHERE tenant = $1 AND stop_at IS NULL AND state IN ('running', 'breached')
				AND (warned_at IS NOT NULL OR breach_steps > 0)
				AND ($2 = '' OR category = $2)
				AND ($3 OR state <> 'breached')
				AND ($4 OR category <> 'gbv')
			ORDER BY ticket_id, deadline_at) c
		ORDER BY CASE WHEN $6 THEN (CASE WHEN priority = '' THEN 'p9' ELSE priority END) ELSE '' END,
			deadline_at, ticket_id LIMIT $5`, f.Tenant, f.Category, f.IncludeBreached, f.IncludeGBV, f.PageSize, f.PriorityFirst)
	return collectClocks("store.AtRiskClocks", rows, err)
}

// Compliance counts a tenant's clocks per category and kind: clocks stopped
// in [start, end) on time or late, and clocks started before end and still
// open, overdue (breached or past the deadline at now) or on track.
func Compliance(ctx context.Context, tx pgx.Tx, tenant string, start, end, now time.Time, includeGBV bool) ([]domain.ComplianceCounts, error) {
	rows, err := tx.Query(ctx, `SELECT category, kind,
			count(*) FILTER (WHERE stop_at >= $2 AND stop_at < $3 AND state = 'met'),
			count(*) FILTER (WHERE stop_at >= $2 AND stop_at < $3 AND state = 'breached'),
			count(*) FILTER (WHERE stop_at IS NULL AND state <> 'met' AND (state = 'breached' OR deadline_at <= $4)),
			count(*) FILTER (WHERE stop_at IS NULL AND state <> 'met' AND state <> 'breached' AND (deadline_at IS NULL OR deadline_at > $4))
		FROM sla.clocks
		WHERE tenant = $1 AND ($5 OR category <> 'gbv')
			AND ((stop_at >= $2 AND stop_at < $3) OR (stop_at IS NULL AND start_at < $3))
		GROUP BY category, kind ORDER BY category, kind`, tenant, start.UTC(), end.UTC(), now.UTC(), includeGBV)
	if err != nil {
		return nil, wrap("store.Compliance", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ComplianceCounts, error) {
		var c domain.ComplianceCounts
		err := r.Scan(&c.Category, &c.Kind, &c.MetOnTime, &c.MetLate, &c.OpenOverdue, &c.OpenOnTrack)
		return c, err
	})
	return out, wrap("store.Compliance", err)
}
