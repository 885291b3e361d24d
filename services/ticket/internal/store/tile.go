package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Tile geometry: features are placed on a 4096 by 4096 grid (the MVT
// default) with a 64-unit buffer, and tickets closer than tileCell units
// (1/256 of the tile, about a pixel of a 256-pixel tile) are merged into one
// feature with a count, so a tile holds at most 256 x 256 features however
// many tickets the tenant has.
const (
	tileExtent = 4096
	tileBuffer = 64
	tileCell   = 16
)

// slaStateSQL is domain's SLA state rule (see domain.SLABreached) over the
// ticket row t and its next deadline due.ts, evaluated at the time %[1]s
// with the at-risk share %[2]s.
const slaStateSQL = `CASE
	WHEN t.status IN ('resolved', 'closed', 'cancelled') THEN 'none'
	WHEN t.status = 'awaiting_citizen' AND t.category <> 'gbv' THEN 'none'
	WHEN due.ts IS NULL THEN 'none'
	WHEN due.ts <= %[1]s::timestamptz THEN 'breached'
	WHEN %[1]s::timestamptz >= t.create_time + (due.ts - t.create_time) * %[2]s::float8 THEN 'at_risk'
	ELSE 'on_time' END`

// Tile renders the tickets v may see on tile as a Mapbox vector tile with
// one layer, `tickets` (properties in the GetTicketTile contract), with
// their SLA state at now. The tickets are selected with the same visibility
// rules as ListTickets; the GBV tickets drawn are returned too, for the
// access log.
func (s *Store) Tile(ctx context.Context, tx pgx.Tx, v domain.Visibility, tile domain.Tile, tf domain.TileFilter, now time.Time) ([]byte, []domain.Ticket, error) {
	w := &where{}
	visible(w, v)
	b := tile.Bounds(float64(tileBuffer) / tileExtent)
	filters(w, domain.Filter{
		Tenant: tf.Tenant, Statuses: tf.Statuses, Categories: tf.Categories, AssignedTeamID: tf.AssignedTeamID,
		CreatedAfter: tf.CreatedAfter, CreatedBefore: tf.CreatedBefore, BBox: &b,
	})
	at := w.arg(now)
	env := fmt.Sprintf("ST_TileEnvelope(%s, %s, %s)", w.arg(tile.Z), w.arg(tile.X), w.arg(tile.Y))
	query := `WITH pts AS (
	SELECT t.id, t.tenant, t.reference, t.category, t.status,
	` + fmt.Sprintf(slaStateSQL, at, w.arg(domain.AtRiskShare)) + ` AS sla,
	ST_AsMVTGeom(ST_Transform(t.location, 3857), ` + env + `, ` + fmt.Sprint(tileExtent) + `, ` + fmt.Sprint(tileBuffer) + `, true) AS g
	FROM ticket.tickets t
	CROSS JOIN LATERAL (SELECT CASE WHEN t.first_responded_at IS NULL
	THEN LEAST(t.response_deadline, t.resolution_deadline) ELSE t.resolution_deadline END AS ts) due
	WHERE ` + w.sql() + `
), cells AS (
	SELECT count(*)::int AS count,
	count(*) FILTER (WHERE sla = 'breached')::int AS breached,
	count(*) FILTER (WHERE sla = 'at_risk')::int AS at_risk,
	count(*) FILTER (WHERE sla = 'on_time')::int AS on_time,
	CASE WHEN count(*) = 1 THEN min(id::text) END AS id,
	CASE WHEN count(*) = 1 THEN min(reference) END AS reference,
	CASE WHEN count(*) = 1 THEN min(category) END AS category,
	CASE WHEN count(*) = 1 THEN min(status) END AS status,
	CASE WHEN count(*) = 1 THEN min(sla) END AS sla,
	ST_MakePoint(round(avg(ST_X(g))), round(avg(ST_Y(g)))) AS geom,
	array_agg(id::text) FILTER (WHERE category = 'gbv') AS gbv_ids,
	array_agg(tenant) FILTER (WHERE category = 'gbv') AS gbv_tenants
	FROM pts WHERE g IS NOT NULL
	GROUP BY floor(ST_X(g) / ` + fmt.Sprint(tileCell) + `), floor(ST_Y(g) / ` + fmt.Sprint(tileCell) + `)
)
SELECT COALESCE((SELECT ST_AsMVT(f, 'tickets', ` + fmt.Sprint(tileExtent) + `, 'geom') FROM
	(SELECT count, breached, at_risk, on_time, id, reference, category, status, sla, geom FROM cells) f), ''::bytea),
	gbv.ids, gbv.tenants
FROM (SELECT COALESCE(array_agg(i), '{}') AS ids, COALESCE(array_agg(tn), '{}') AS tenants
	FROM cells, unnest(gbv_ids, gbv_tenants) AS u(i, tn)) gbv`
	var (
		mvt                []byte
		gbvIDs, gbvTenants []string
	)
	if err := tx.QueryRow(ctx, query, w.args...).Scan(&mvt, &gbvIDs, &gbvTenants); err != nil {
		return nil, nil, fmt.Errorf("store.Tile: %w", err)
	}
	gbv := make([]domain.Ticket, len(gbvIDs))
	for i := range gbvIDs {
		gbv[i] = domain.Ticket{ID: gbvIDs[i], Tenant: gbvTenants[i], Category: word.CategoryGBV}
	}
	return mvt, gbv, nil
}
