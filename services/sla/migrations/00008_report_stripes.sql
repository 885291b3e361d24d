-- Each daily cell is spread over stripes (domain.ReportStripes, chosen by
-- the ticket: domain.StripeOf), which readers sum as they sum days. With
-- one row per cell every created event of a municipality's category and
-- day waited on that row's lock until the commit before it, which held
-- the clocks of a burst of tickets behind each other. Existing cells
-- become stripe 0.

-- +goose Up
ALTER TABLE sla.report_daily ADD COLUMN stripe smallint NOT NULL DEFAULT 0;
ALTER TABLE sla.report_daily DROP CONSTRAINT report_daily_pkey,
    ADD PRIMARY KEY (tenant, day, category, ward_code, team_id, priority, stripe);
ALTER TABLE sla.report_daily_totals ADD COLUMN stripe smallint NOT NULL DEFAULT 0;
ALTER TABLE sla.report_daily_totals DROP CONSTRAINT report_daily_totals_pkey,
    ADD PRIMARY KEY (tenant, day, category, priority, stripe);

-- +goose Down
-- Fold every stripe into stripe 0, then drop the column.
UPDATE sla.report_daily d SET tickets = s.tickets, cancelled = s.cancelled, responded = s.responded,
    responded_24h = s.responded_24h, response_met = s.response_met, response_breached = s.response_breached,
    response_pending = s.response_pending, resolved = s.resolved, resolution_met = s.resolution_met,
    resolution_breached = s.resolution_breached, resolution_pending = s.resolution_pending, open = s.open,
    response_wall_us = s.response_wall_us, response_business_us = s.response_business_us,
    resolution_wall_us = s.resolution_wall_us, resolution_business_us = s.resolution_business_us, stripe = 0
FROM (SELECT tenant, day, category, ward_code, team_id, priority, min(stripe) AS first,
        sum(tickets) AS tickets, sum(cancelled) AS cancelled, sum(responded) AS responded,
        sum(responded_24h) AS responded_24h, sum(response_met) AS response_met,
        sum(response_breached) AS response_breached, sum(response_pending) AS response_pending,
        sum(resolved) AS resolved, sum(resolution_met) AS resolution_met,
        sum(resolution_breached) AS resolution_breached, sum(resolution_pending) AS resolution_pending,
        sum(open) AS open, sum(response_wall_us) AS response_wall_us, sum(response_business_us) AS response_business_us,
        sum(resolution_wall_us) AS resolution_wall_us, sum(resolution_business_us) AS resolution_business_us
      FROM sla.report_daily GROUP BY 1, 2, 3, 4, 5, 6) s
WHERE (d.tenant, d.day, d.category, d.ward_code, d.team_id, d.priority, d.stripe)
    = (s.tenant, s.day, s.category, s.ward_code, s.team_id, s.priority, s.first);
DELETE FROM sla.report_daily d WHERE EXISTS (SELECT FROM sla.report_daily o
    WHERE (o.tenant, o.day, o.category, o.ward_code, o.team_id, o.priority) = (d.tenant, d.day, d.category, d.ward_code, d.team_id, d.priority)
      AND o.stripe = 0 AND d.stripe <> 0);
UPDATE sla.report_daily_totals d SET tickets = s.tickets, cancelled = s.cancelled, responded = s.responded,
    responded_24h = s.responded_24h, response_met = s.response_met, response_breached = s.response_breached,
    response_pending = s.response_pending, resolved = s.resolved, resolution_met = s.resolution_met,
    resolution_breached = s.resolution_breached, resolution_pending = s.resolution_pending, open = s.open,
    response_wall_us = s.response_wall_us, response_business_us = s.response_business_us,
    resolution_wall_us = s.resolution_wall_us, resolution_business_us = s.resolution_business_us, stripe = 0
FROM (SELECT tenant, day, category, priority, min(stripe) AS first,
        sum(tickets) AS tickets, sum(cancelled) AS cancelled, sum(responded) AS responded,
        sum(responded_24h) AS responded_24h, sum(response_met) AS response_met,
        sum(response_breached) AS response_breached, sum(response_pending) AS response_pending,
        sum(resolved) AS resolved, sum(resolution_met) AS resolution_met,
        sum(resolution_breached) AS resolution_breached, sum(resolution_pending) AS resolution_pending,
        sum(open) AS open, sum(response_wall_us) AS response_wall_us, sum(response_business_us) AS response_business_us,
        sum(resolution_wall_us) AS resolution_wall_us, sum(resolution_business_us) AS resolution_business_us
      FROM sla.report_daily_totals GROUP BY 1, 2, 3, 4) s
WHERE (d.tenant, d.day, d.category, d.priority, d.stripe) = (s.tenant, s.day, s.category, s.priority, s.first);
DELETE FROM sla.report_daily_totals d WHERE EXISTS (SELECT FROM sla.report_daily_totals o
    WHERE (o.tenant, o.day, o.category, o.priority) = (d.tenant, d.day, d.category, d.priority)
      AND o.stripe = 0 AND d.stripe <> 0);
ALTER TABLE sla.report_daily DROP CONSTRAINT report_daily_pkey, DROP COLUMN stripe,
    ADD PRIMARY KEY (tenant, day, category, ward_code, team_id, priority);
ALTER TABLE sla.report_daily_totals DROP CONSTRAINT report_daily_totals_pkey, DROP COLUMN stripe,
    ADD PRIMARY KEY (tenant, day, category, priority);
