-- +goose Up
CREATE SCHEMA IF NOT EXISTS sla;
GRANT USAGE ON SCHEMA sla TO trustengine_app;
-- River's tables are created later in this schema by the same owner; the
-- application role needs them too.
ALTER DEFAULT PRIVILEGES IN SCHEMA sla GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO trustengine_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA sla GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO trustengine_app;

-- Calendars and configurations are platform-wide (not tenant-scoped).
CREATE TABLE sla.calendars (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE CHECK (name <> ''),
    time_zone text NOT NULL,
    always_open boolean NOT NULL,
    intervals jsonb NOT NULL DEFAULT '[]',
    south_african_holidays boolean NOT NULL,
    declared_holidays jsonb NOT NULL DEFAULT '[]',
    create_time timestamptz NOT NULL DEFAULT now(),
    update_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sla.configs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    municipality text NOT NULL DEFAULT '',
    category text NOT NULL DEFAULT '',
    response_hours double precision NOT NULL CHECK (response_hours > 0 AND response_hours <= 8760),
    resolution_hours double precision NOT NULL CHECK (resolution_hours > 0 AND resolution_hours <= 8760),
    warning_threshold_pct integer NOT NULL CHECK (warning_threshold_pct BETWEEN 1 AND 99),
    calendar_id uuid REFERENCES sla.calendars (id),
    pause_statuses text[] NOT NULL DEFAULT '{awaiting_citizen}',
    version bigint NOT NULL DEFAULT 1,
    create_time timestamptz NOT NULL DEFAULT now(),
    update_time timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT '',
    CONSTRAINT configs_municipality_category_key UNIQUE (municipality, category)
);

-- config_id is not a foreign key: changes outlive deleted configurations.
CREATE TABLE sla.config_changes (
    id bigserial PRIMARY KEY,
    config_id uuid,
    calendar_id uuid,
    version bigint NOT NULL,
    changed_by text NOT NULL,
    action text NOT NULL,
    clocks_recomputed integer NOT NULL,
    create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX config_changes_config_idx ON sla.config_changes (config_id, id DESC);

-- tickets holds per-ticket state: the last applied event sequence (stale
-- events are ignored), the deadline revision mirrored to the ticket service
-- and the escalation levels handed out so far.
CREATE TABLE sla.tickets (
    ticket_id uuid PRIMARY KEY,
    tenant text NOT NULL,
    category text NOT NULL,
    status text NOT NULL,
    last_sequence bigint NOT NULL,
    deadline_revision bigint NOT NULL DEFAULT 0,
    escalation_level integer NOT NULL DEFAULT 0
);

CREATE TABLE sla.processed_events (
    event_id uuid PRIMARY KEY,
    tenant text NOT NULL,
    ticket_id uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sla.clocks (
    tenant text NOT NULL,
    ticket_id uuid NOT NULL,
    category text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('response', 'resolution')),
    cycle integer NOT NULL CHECK (cycle >= 1),
    state text NOT NULL CHECK (state IN ('running', 'paused', 'met', 'breached')),
    start_at timestamptz NOT NULL,
    resumed_at timestamptz,
    deadline_at timestamptz,
    warn_at timestamptz,
    warned_at timestamptz,
    breach_steps integer NOT NULL DEFAULT 0,
    stop_at timestamptz,
    -- Durations are microseconds: exact, and scanned straight into Go.
    elapsed_us bigint NOT NULL DEFAULT 0,
    paused_us bigint NOT NULL DEFAULT 0,
    paused_since timestamptz,
    target_us bigint NOT NULL CHECK (target_us > 0),
    warn_target_us bigint NOT NULL,
    config_id uuid,
    config_version bigint NOT NULL DEFAULT 0,
    calendar_id uuid,
    next_due_at timestamptz,
    PRIMARY KEY (ticket_id, kind, cycle)
);
-- The sweep reads only what is due: cost follows the number due, not open.
CREATE INDEX clocks_due_idx ON sla.clocks (next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX clocks_open_idx ON sla.clocks (tenant, category) WHERE state IN ('running', 'paused');
CREATE INDEX clocks_stop_idx ON sla.clocks (tenant, stop_at);

-- clock_events makes each warning and breach step exactly once by the
-- database: a second sweeper's insert hits the unique key and does nothing.
CREATE TABLE sla.clock_events (
    id bigserial PRIMARY KEY,
    tenant text NOT NULL,
    ticket_id uuid NOT NULL,
    clock_kind text NOT NULL,
    cycle integer NOT NULL,
    kind text NOT NULL CHECK (kind IN ('warning', 'breach')),
    level integer NOT NULL,
    escalation_level integer NOT NULL DEFAULT 0,
    create_time timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT clock_events_once_key UNIQUE (ticket_id, clock_kind, cycle, kind, level)
);
CREATE UNIQUE INDEX clock_events_escalation_key ON sla.clock_events (ticket_id, escalation_level) WHERE escalation_level > 0;

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tickets', 'processed_events', 'clocks', 'clock_events'] LOOP
    EXECUTE format('ALTER TABLE sla.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE sla.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON sla.%I
      USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
      WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')$p$, t);
  END LOOP;
END
$$;
-- +goose StatementEnd

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA sla TO trustengine_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA sla TO trustengine_app;

-- +goose Down
DROP SCHEMA sla CASCADE;
