-- Reports and MFMA Circular 88 indicators read materialised figures, never
-- the clocks: report_tickets holds each ticket's outcome (one row, rewritten
-- whenever its clocks change, in the transaction of the change) and
-- report_daily the sums of those outcomes per day reported and per
-- category, ward, team and priority. A change subtracts the ticket's old
-- contribution and adds its new one, so a quarter's indicator is a sum over
-- at most a few thousand rows whatever the number of tickets.

-- +goose Up
-- The dimensions reports group by, as the ticket service last sent them
-- ('' when unknown; sla.tickets.priority, the third dimension, comes from
-- migration 00004).
ALTER TABLE sla.tickets ADD COLUMN ward_code text NOT NULL DEFAULT '';
ALTER TABLE sla.tickets ADD COLUMN team_id text NOT NULL DEFAULT '';

CREATE TABLE sla.report_tickets (
    ticket_id uuid PRIMARY KEY,
    tenant text NOT NULL,
    category text NOT NULL,
    ward_code text NOT NULL DEFAULT '',
    team_id text NOT NULL DEFAULT '',
    priority text NOT NULL DEFAULT '',
    -- day is the date reported on in South African time.
    day date NOT NULL,
    create_time timestamptz NOT NULL,
    status text NOT NULL,
    cancelled boolean NOT NULL,
    open boolean NOT NULL,
    respond_time timestamptz,
    response_business_us bigint NOT NULL DEFAULT 0,
    response_met boolean NOT NULL,
    response_breached boolean NOT NULL,
    response_pending boolean NOT NULL,
    resolve_time timestamptz,
    resolution_business_us bigint NOT NULL DEFAULT 0,
    resolution_met boolean NOT NULL,
    resolution_breached boolean NOT NULL,
    resolution_pending boolean NOT NULL
);
CREATE INDEX report_tickets_day_idx ON sla.report_tickets (tenant, day, ticket_id);
CREATE INDEX report_tickets_open_idx ON sla.report_tickets (tenant, create_time) WHERE open;

CREATE TABLE sla.report_daily (
    tenant text NOT NULL,
    day date NOT NULL,
    category text NOT NULL,
    ward_code text NOT NULL,
    team_id text NOT NULL,
    priority text NOT NULL,
    tickets bigint NOT NULL DEFAULT 0,
    cancelled bigint NOT NULL DEFAULT 0,
    responded bigint NOT NULL DEFAULT 0,
    responded_24h bigint NOT NULL DEFAULT 0,
    response_met bigint NOT NULL DEFAULT 0,
    response_breached bigint NOT NULL DEFAULT 0,
    response_pending bigint NOT NULL DEFAULT 0,
    resolved bigint NOT NULL DEFAULT 0,
    resolution_met bigint NOT NULL DEFAULT 0,
    resolution_breached bigint NOT NULL DEFAULT 0,
    resolution_pending bigint NOT NULL DEFAULT 0,
    open bigint NOT NULL DEFAULT 0,
    response_wall_us bigint NOT NULL DEFAULT 0,
    response_business_us bigint NOT NULL DEFAULT 0,
    resolution_wall_us bigint NOT NULL DEFAULT 0,
    resolution_business_us bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, day, category, ward_code, team_id, priority)
);

-- report_daily_totals is report_daily without ward and team: what a
-- municipality's indicators and its reports by category or priority read
-- (a year is a few thousand rows).
CREATE TABLE sla.report_daily_totals (LIKE sla.report_daily INCLUDING DEFAULTS);
ALTER TABLE sla.report_daily_totals DROP COLUMN ward_code, DROP COLUMN team_id;
ALTER TABLE sla.report_daily_totals ADD PRIMARY KEY (tenant, day, category, priority);

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['report_tickets', 'report_daily', 'report_daily_totals'] LOOP
    EXECUTE format('ALTER TABLE sla.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE sla.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON sla.%I
      USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
      WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')$p$, t);
  END LOOP;
END
$$;
-- +goose StatementEnd

GRANT SELECT, INSERT, UPDATE, DELETE ON sla.report_tickets, sla.report_daily, sla.report_daily_totals TO trustengine_app;

-- +goose Down
DROP TABLE sla.report_daily_totals;
DROP TABLE sla.report_daily;
DROP TABLE sla.report_tickets;
ALTER TABLE sla.tickets DROP COLUMN team_id;
ALTER TABLE sla.tickets DROP COLUMN ward_code;
