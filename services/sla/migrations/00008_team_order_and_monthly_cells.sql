-- A ticket's team has its own order, apart from last_sequence (which
-- orders status and priority changes): team_sequence is the ticket history
-- sequence of the event team_id was taken from. Assignments reach the SLA
-- service as events of their own (kind `assigned`), and one delivered after
-- a newer assignment, or after a status change that carried the newer
-- team, must change nothing. 0: no ordered event has set the team yet.
--
-- report_monthly is report_daily summed per month (day is the month's
-- first day): a report by ward or team over a month, a quarter or a
-- financial year reads it, a few thousand rows, where report_daily holds
-- nearly a cell per ticket (a day's tickets spread over every ward, team,
-- category and priority). It moves with report_daily, delta for delta.

-- +goose Up
ALTER TABLE sla.tickets ADD COLUMN team_sequence bigint NOT NULL DEFAULT 0;

CREATE TABLE sla.report_monthly (LIKE sla.report_daily INCLUDING DEFAULTS);
ALTER TABLE sla.report_monthly ADD PRIMARY KEY (tenant, day, category, ward_code, team_id, priority);
ALTER TABLE sla.report_monthly ADD CHECK (extract(day FROM day) = 1);
ALTER TABLE sla.report_monthly ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla.report_monthly FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla.report_monthly
  USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');
GRANT SELECT, INSERT, UPDATE, DELETE ON sla.report_monthly TO trustengine_app;

-- The migration reads every municipality's cells (row-level security is
-- forced on the owner too).
SELECT set_config('app.all_tenants', 'on', true);
INSERT INTO sla.report_monthly (tenant, day, category, ward_code, team_id, priority, tickets, cancelled, responded,
    responded_24h, response_met, response_breached, response_pending, resolved, resolution_met, resolution_breached,
    resolution_pending, open, response_wall_us, response_business_us, resolution_wall_us, resolution_business_us)
SELECT tenant, date_trunc('month', day)::date, category, ward_code, team_id, priority, sum(tickets), sum(cancelled),
    sum(responded), sum(responded_24h), sum(response_met), sum(response_breached), sum(response_pending), sum(resolved),
    sum(resolution_met), sum(resolution_breached), sum(resolution_pending), sum(open), sum(response_wall_us),
    sum(response_business_us), sum(resolution_wall_us), sum(resolution_business_us)
FROM sla.report_daily GROUP BY 1, 2, 3, 4, 5, 6;

-- +goose Down
DROP TABLE sla.report_monthly;
ALTER TABLE sla.tickets DROP COLUMN team_sequence;
