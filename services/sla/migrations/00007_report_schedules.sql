-- Scheduled reports: a municipality asks for a report every month or
-- quarter; a periodic job produces the file of each period once it has
-- ended (UNIQUE (schedule_id, period) makes it once, however many replicas
-- run the job), and keeps it here to be listed and downloaded.

-- +goose Up
CREATE TABLE sla.report_schedules (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('indicators', 'compliance')),
    frequency text NOT NULL CHECK (frequency IN ('monthly', 'quarterly')),
    recipients text[] NOT NULL DEFAULT '{}',
    next_run_at timestamptz NOT NULL,
    created_by text NOT NULL,
    create_time timestamptz NOT NULL DEFAULT now(),
    deleted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_schedules_due_idx ON sla.report_schedules (next_run_at) WHERE NOT deleted;
CREATE INDEX report_schedules_tenant_idx ON sla.report_schedules (tenant, create_time);

CREATE TABLE sla.report_exports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant text NOT NULL,
    schedule_id uuid NOT NULL REFERENCES sla.report_schedules (id),
    kind text NOT NULL,
    period text NOT NULL,
    file_name text NOT NULL,
    content_type text NOT NULL,
    content bytea NOT NULL,
    create_time timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT report_exports_once_key UNIQUE (schedule_id, period)
);
CREATE INDEX report_exports_tenant_idx ON sla.report_exports (tenant, create_time DESC);

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['report_schedules', 'report_exports'] LOOP
    EXECUTE format('ALTER TABLE sla.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE sla.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON sla.%I
      USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
      WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')$p$, t);
  END LOOP;
END
$$;
-- +goose StatementEnd

GRANT SELECT, INSERT, UPDATE ON sla.report_schedules TO trustengine_app;
GRANT SELECT, INSERT ON sla.report_exports TO trustengine_app;

-- +goose Down
DROP TABLE sla.report_exports;
DROP TABLE sla.report_schedules;
