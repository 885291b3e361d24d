-- +goose Up
CREATE SCHEMA IF NOT EXISTS routing;
GRANT USAGE ON SCHEMA routing TO trustengine_app;

-- River's tables are created in this schema after these migrations by the
-- owner role; default privileges let the app role enqueue jobs in the same
-- transaction as the change they announce.
ALTER DEFAULT PRIVILEGES IN SCHEMA routing
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO trustengine_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA routing
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO trustengine_app;

-- Municipalities are platform data, not tenant-scoped: every authenticated
-- caller reads them, platform admins write them.
CREATE TABLE routing.municipalities (
  code        text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{2,8}$'),
  name        text NOT NULL,
  province    text NOT NULL DEFAULT '',
  boundary    geometry(MultiPolygon, 4326) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX municipalities_boundary_gist ON routing.municipalities USING gist (boundary);
GRANT SELECT, INSERT, UPDATE ON routing.municipalities TO trustengine_app;

CREATE TABLE routing.teams (
  id                 uuid PRIMARY KEY,
  tenant             text NOT NULL,
  name               text NOT NULL,
  category           text NOT NULL,
  is_saps            boolean NOT NULL DEFAULT false,
  manager_id         text NOT NULL DEFAULT '',
  escalation_team_id uuid REFERENCES routing.teams (id),
  members            jsonb NOT NULL DEFAULT '[]'::jsonb,
  active             boolean NOT NULL DEFAULT true,
  service_area       geometry(MultiPolygon, 4326),
  area_sq_km         double precision NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT teams_tenant_name_key UNIQUE (tenant, name)
);
CREATE INDEX teams_service_area_gist ON routing.teams USING gist (service_area);
CREATE INDEX teams_routing_idx ON routing.teams (tenant, category, is_saps) WHERE active;

CREATE TABLE routing.assignments (
  id               uuid PRIMARY KEY,
  tenant           text NOT NULL,
  ticket_id        uuid NOT NULL,
  category         text NOT NULL,
  team_id          uuid REFERENCES routing.teams (id),
  person_id        text NOT NULL DEFAULT '',
  assigned_by      text NOT NULL,
  reason           text NOT NULL CHECK (reason IN ('geospatial_routing', 'fallback_nearest', 'triage',
                                                   'manual_override', 'escalation', 'sla_breach')),
  note             text NOT NULL DEFAULT '',
  escalation_level integer NOT NULL DEFAULT 0,
  is_current       boolean NOT NULL,
  decision         jsonb,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- At most one current assignment per ticket.
CREATE UNIQUE INDEX assignments_one_current ON routing.assignments (ticket_id) WHERE is_current;
-- One routing decision per ticket, so concurrent RouteTicket calls converge.
CREATE UNIQUE INDEX assignments_one_routing ON routing.assignments (ticket_id)
  WHERE reason IN ('geospatial_routing', 'fallback_nearest', 'triage');
-- One escalation per (ticket, level).
CREATE UNIQUE INDEX assignments_one_escalation ON routing.assignments (ticket_id, escalation_level)
  WHERE reason IN ('escalation', 'sla_breach');
CREATE INDEX assignments_team_current ON routing.assignments (team_id, created_at) WHERE is_current;
CREATE INDEX assignments_ticket ON routing.assignments (ticket_id, created_at);

CREATE TABLE routing.ticket_status (
  ticket_id  uuid PRIMARY KEY,
  tenant     text NOT NULL,
  status     text NOT NULL,
  sequence   bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON routing.teams, routing.assignments, routing.ticket_status TO trustengine_app;

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['teams', 'assignments', 'ticket_status'] LOOP
    EXECUTE format('ALTER TABLE routing.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE routing.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON routing.%I
      USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
      WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')$p$, t);
  END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE routing.ticket_status;
DROP TABLE routing.assignments;
DROP TABLE routing.teams;
DROP TABLE routing.municipalities;
