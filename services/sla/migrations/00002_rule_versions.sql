-- Time rules are measured with the rule in force at the time. Calendars and
-- policies keep every version with the instant it took effect, and each
-- clock keeps the segments it ran under one calendar version and one policy
-- version, so a later edit never re-measures time already counted and any
-- past deadline can be explained. All three tables are append-only.

-- +goose Up
ALTER TABLE sla.calendars ADD COLUMN version bigint NOT NULL DEFAULT 1;

CREATE TABLE sla.calendar_versions (
    calendar_id uuid NOT NULL REFERENCES sla.calendars (id),
    version bigint NOT NULL CHECK (version >= 1),
    effective_from timestamptz NOT NULL,
    name text NOT NULL,
    time_zone text NOT NULL,
    always_open boolean NOT NULL,
    intervals jsonb NOT NULL,
    south_african_holidays boolean NOT NULL,
    declared_holidays jsonb NOT NULL,
    changed_by text NOT NULL DEFAULT '',
    PRIMARY KEY (calendar_id, version)
);
INSERT INTO sla.calendar_versions (calendar_id, version, effective_from, name, time_zone, always_open, intervals,
    south_african_holidays, declared_holidays)
SELECT id, version, update_time, name, time_zone, always_open, intervals, south_african_holidays, declared_holidays
FROM sla.calendars;

-- config_id is not a foreign key: versions outlive deleted configurations
-- (a deletion is a version too).
CREATE TABLE sla.config_versions (
    config_id uuid NOT NULL,
    version bigint NOT NULL CHECK (version >= 1),
    effective_from timestamptz NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    municipality text NOT NULL,
    category text NOT NULL,
    response_hours double precision NOT NULL,
    resolution_hours double precision NOT NULL,
    warning_threshold_pct integer NOT NULL,
    calendar_id uuid,
    pause_statuses text[] NOT NULL,
    changed_by text NOT NULL DEFAULT '',
    PRIMARY KEY (config_id, version)
);
INSERT INTO sla.config_versions (config_id, version, effective_from, municipality, category, response_hours,
    resolution_hours, warning_threshold_pct, calendar_id, pause_statuses, changed_by)
SELECT id, version, update_time, municipality, category, response_hours, resolution_hours, warning_threshold_pct,
    calendar_id, pause_statuses, updated_by
FROM sla.configs;

-- The calendar version a clock's running segment counts on.
ALTER TABLE sla.clocks ADD COLUMN calendar_version bigint NOT NULL DEFAULT 0;
UPDATE sla.clocks k SET calendar_version = c.version FROM sla.calendars c WHERE k.calendar_id = c.id;

-- How many warnings a clock raised: a loosened policy lets it warn again.
ALTER TABLE sla.clocks ADD COLUMN warn_count integer NOT NULL DEFAULT 0;
UPDATE sla.clocks SET warn_count = 1 WHERE warned_at IS NOT NULL;

-- clock_segments holds the closed segments of every clock: from start_at to
-- end_at it counted elapsed_us of working time on one calendar version
-- under one policy version. The open segment of a running clock is the
-- clock's own resumed_at .. now.
CREATE TABLE sla.clock_segments (
    id bigserial PRIMARY KEY,
    tenant text NOT NULL,
    ticket_id uuid NOT NULL,
    clock_kind text NOT NULL,
    cycle integer NOT NULL,
    start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL CHECK (end_at > start_at),
    calendar_id uuid,
    calendar_version bigint NOT NULL,
    config_id uuid,
    config_version bigint NOT NULL,
    elapsed_us bigint NOT NULL CHECK (elapsed_us >= 0),
    end_reason text NOT NULL CHECK (end_reason IN ('paused', 'stopped', 'calendar_changed', 'policy_changed'))
);
CREATE INDEX clock_segments_clock_idx ON sla.clock_segments (ticket_id, clock_kind, cycle, id);

ALTER TABLE sla.clock_segments ENABLE ROW LEVEL SECURITY;
ALTER TABLE sla.clock_segments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla.clock_segments
  USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
  WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

GRANT SELECT, INSERT ON sla.calendar_versions, sla.config_versions, sla.clock_segments TO trustengine_app;
REVOKE UPDATE, DELETE, TRUNCATE ON sla.calendar_versions, sla.config_versions, sla.clock_segments FROM trustengine_app;
GRANT USAGE, SELECT ON SEQUENCE sla.clock_segments_id_seq TO trustengine_app;

-- +goose Down
DROP TABLE sla.clock_segments;
ALTER TABLE sla.clocks DROP COLUMN warn_count;
ALTER TABLE sla.clocks DROP COLUMN calendar_version;
DROP TABLE sla.config_versions;
DROP TABLE sla.calendar_versions;
ALTER TABLE sla.calendars DROP COLUMN version;
