-- report_deltas are changes of report cells (report_daily, report_monthly
-- and report_daily_totals) not yet added to them. Every ticket of a day,
-- category, ward, team and priority moves one cell: were each change to
-- update the cell in its own transaction, that row's lock would be held
-- through every commit's flush and the day's clock events would apply one
-- at a time. So a change appends its delta here (no row is shared), and
-- one transaction at a time folds the deltas into the cells
-- (store.FoldReportDeltas), a few a second. Reports read the cells plus
-- the deltas not yet folded, so a figure never lags its events.

-- +goose Up
CREATE TABLE sla.report_deltas (LIKE sla.report_daily INCLUDING DEFAULTS);
ALTER TABLE sla.report_deltas ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
CREATE INDEX report_deltas_tenant_day_idx ON sla.report_deltas (tenant, day);
ALTER TABLE sla.report_deltas ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla.report_deltas FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla.report_deltas
  USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');
GRANT SELECT, INSERT, DELETE ON sla.report_deltas TO trustengine_app;

-- +goose Down
-- What was not folded yet is folded before the table goes.
SELECT set_config('app.all_tenants', 'on', true);
INSERT INTO sla.report_daily AS d (tenant, day, category, ward_code, team_id, priority, tickets, cancelled, responded,
    responded_24h, response_met, response_breached, response_pending, resolved, resolution_met, resolution_breached,
    resolution_pending, open, response_wall_us, response_business_us, resolution_wall_us, resolution_business_us)
SELECT tenant, day, category, ward_code, team_id, priority, sum(tickets), sum(cancelled), sum(responded),
    sum(responded_24h), sum(response_met), sum(response_breached), sum(response_pending), sum(resolved),
    sum(resolution_met), sum(resolution_breached), sum(resolution_pending), sum(open), sum(response_wall_us),
    sum(response_business_us), sum(resolution_wall_us), sum(resolution_business_us)
FROM sla.report_deltas GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (tenant, day, category, ward_code, team_id, priority) DO UPDATE SET tickets = d.tickets + EXCLUDED.tickets,
    cancelled = d.cancelled + EXCLUDED.cancelled, responded = d.responded + EXCLUDED.responded,
    responded_24h = d.responded_24h + EXCLUDED.responded_24h, response_met = d.response_met + EXCLUDED.response_met,
    response_breached = d.response_breached + EXCLUDED.response_breached,
    response_pending = d.response_pending + EXCLUDED.response_pending, resolved = d.resolved + EXCLUDED.resolved,
    resolution_met = d.resolution_met + EXCLUDED.resolution_met,
    resolution_breached = d.resolution_breached + EXCLUDED.resolution_breached,
    resolution_pending = d.resolution_pending + EXCLUDED.resolution_pending, open = d.open + EXCLUDED.open,
    response_wall_us = d.response_wall_us + EXCLUDED.response_wall_us,
    response_business_us = d.response_business_us + EXCLUDED.response_business_us,
    resolution_wall_us = d.resolution_wall_us + EXCLUDED.resolution_wall_us,
    resolution_business_us = d.resolution_business_us + EXCLUDED.resolution_business_us;
INSERT INTO sla.report_monthly AS d (tenant, day, category, ward_code, team_id, priority, tickets, cancelled, responded,
    responded_24h, response_met, response_breached, response_pending, resolved, resolution_met, resolution_breached,
    resolution_pending, open, response_wall_us, response_business_us, resolution_wall_us, resolution_business_us)
SELECT tenant, date_trunc('month', day)::date, category, ward_code, team_id, priority, sum(tickets), sum(cancelled),
    sum(responded), sum(responded_24h), sum(response_met), sum(response_breached), sum(response_pending), sum(resolved),
    sum(resolution_met), sum(resolution_breached), sum(resolution_pending), sum(open), sum(response_wall_us),
    sum(response_business_us), sum(resolution_wall_us), sum(resolution_business_us)
FROM sla.report_deltas GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (tenant, day, category, ward_code, team_id, priority) DO UPDATE SET tickets = d.tickets + EXCLUDED.tickets,
    cancelled = d.cancelled + EXCLUDED.cancelled, responded = d.responded + EXCLUDED.responded,
    responded_24h = d.responded_24h + EXCLUDED.responded_24h, response_met = d.response_met + EXCLUDED.response_met,
    response_breached = d.response_breached + EXCLUDED.response_breached,
    response_pending = d.response_pending + EXCLUDED.response_pending, resolved = d.resolved + EXCLUDED.resolved,
    resolution_met = d.resolution_met + EXCLUDED.resolution_met,
    resolution_breached = d.resolution_breached + EXCLUDED.resolution_breached,
    resolution_pending = d.resolution_pending + EXCLUDED.resolution_pending, open = d.open + EXCLUDED.open,
    response_wall_us = d.response_wall_us + EXCLUDED.response_wall_us,
    response_business_us = d.response_business_us + EXCLUDED.response_business_us,
    resolution_wall_us = d.resolution_wall_us + EXCLUDED.resolution_wall_us,
    resolution_business_us = d.resolution_business_us + EXCLUDED.resolution_business_us;
INSERT INTO sla.report_daily_totals AS d (tenant, day, category, priority, tickets, cancelled, responded,
    responded_24h, response_met, response_breached, response_pending, resolved, resolution_met, resolution_breached,
    resolution_pending, open, response_wall_us, response_business_us, resolution_wall_us, resolution_business_us)
SELECT tenant, day, category, priority, sum(tickets), sum(cancelled), sum(responded),
    sum(responded_24h), sum(response_met), sum(response_breached), sum(response_pending), sum(resolved),
    sum(resolution_met), sum(resolution_breached), sum(resolution_pending), sum(open), sum(response_wall_us),
    sum(response_business_us), sum(resolution_wall_us), sum(resolution_business_us)
FROM sla.report_deltas GROUP BY 1, 2, 3, 4
ON CONFLICT (tenant, day, category, priority) DO UPDATE SET tickets = d.tickets + EXCLUDED.tickets,
    cancelled = d.cancelled + EXCLUDED.cancelled, responded = d.responded + EXCLUDED.responded,
    responded_24h = d.responded_24h + EXCLUDED.responded_24h, response_met = d.response_met + EXCLUDED.response_met,
    response_breached = d.response_breached + EXCLUDED.response_breached,
    response_pending = d.response_pending + EXCLUDED.response_pending, resolved = d.resolved + EXCLUDED.resolved,
    resolution_met = d.resolution_met + EXCLUDED.resolution_met,
    resolution_breached = d.resolution_breached + EXCLUDED.resolution_breached,
    resolution_pending = d.resolution_pending + EXCLUDED.resolution_pending, open = d.open + EXCLUDED.open,
    response_wall_us = d.response_wall_us + EXCLUDED.response_wall_us,
    response_business_us = d.response_business_us + EXCLUDED.response_business_us,
    resolution_wall_us = d.resolution_wall_us + EXCLUDED.resolution_wall_us,
    resolution_business_us = d.resolution_business_us + EXCLUDED.resolution_business_us;
DROP TABLE sla.report_deltas;
