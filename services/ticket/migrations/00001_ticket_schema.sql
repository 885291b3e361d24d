-- +goose Up
CREATE SCHEMA IF NOT EXISTS ticket;

-- reference_counters hands out the per-tenant, per-year sequence of human
-- references (CPT-2026-000123). A row lock, not a Postgres sequence, so that
-- a rolled-back create gives its number back and references stay dense.
CREATE TABLE ticket.reference_counters (
    tenant text   NOT NULL,
    year   int    NOT NULL,
    last   bigint NOT NULL,
    PRIMARY KEY (tenant, year)
);

CREATE TABLE ticket.tickets (
    id                  uuid PRIMARY KEY,
    tenant              text NOT NULL,
    reference           text NOT NULL,
    category            text NOT NULL CHECK (category IN ('water','roads','electricity','waste','sanitation','gbv','other')),
    status              text NOT NULL CHECK (status IN ('open','in_progress','awaiting_citizen','resolved','closed','cancelled')),
    -- For GBV tickets description and reporter contact are '' here and live
    -- only in sealed (AES-256-GCM of a JSON document, see internal/seal).
    description         text NOT NULL DEFAULT '',
    location            geometry(Point, 4326) NOT NULL,
    address             text NOT NULL DEFAULT '',
    reporter_name       text NOT NULL DEFAULT '',
    reporter_phone      text NOT NULL DEFAULT '',
    reporter_email      text NOT NULL DEFAULT '',
    reporter_subject    text NOT NULL,
    channel             text NOT NULL,
    sealed              bytea,
    sealed_key_id       text,
    sealed_nonce        bytea,
    idempotency_key     text,
    assignment_id       text NOT NULL DEFAULT '',
    assign_time         timestamptz,
    assigned_team_id    text NOT NULL DEFAULT '',
    assigned_team_name  text NOT NULL DEFAULT '',
    assigned_person_id  text NOT NULL DEFAULT '',
    assignment_reason   text NOT NULL DEFAULT '',
    first_responded_at  timestamptz,
    response_deadline   timestamptz,
    resolution_deadline timestamptz,
    deadlines_revision  bigint NOT NULL DEFAULT 0,
    escalated_at        timestamptz,
    escalation_reason   text NOT NULL DEFAULT '',
    escalation_level    int NOT NULL DEFAULT 0,
    cancel_reason       text NOT NULL DEFAULT '',
    create_time         timestamptz NOT NULL,
    update_time         timestamptz NOT NULL,
    resolve_time        timestamptz,
    close_time          timestamptz,
    -- history_seq is the last history sequence used; bumping it under the
    -- ticket's row lock numbers history entries without gaps or races.
    history_seq         bigint NOT NULL DEFAULT 0,
    UNIQUE (tenant, reference),
    -- A GBV row can never hold plaintext content, whatever the code does.
    CONSTRAINT gbv_sealed CHECK (
        (category = 'gbv') = (sealed IS NOT NULL)
        AND (category <> 'gbv' OR (description = '' AND reporter_name = '' AND reporter_phone = '' AND reporter_email = ''))
    )
);

CREATE UNIQUE INDEX tickets_idempotency_key ON ticket.tickets (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX tickets_location ON ticket.tickets USING gist (location);
CREATE INDEX tickets_tenant_created ON ticket.tickets (tenant, create_time DESC, id DESC);
CREATE INDEX tickets_tenant_deadline ON ticket.tickets (tenant, resolution_deadline, id);
CREATE INDEX tickets_tenant_status ON ticket.tickets (tenant, status);
CREATE INDEX tickets_reporter ON ticket.tickets (tenant, reporter_subject);
CREATE INDEX tickets_team ON ticket.tickets (tenant, assigned_team_id);

-- history is append-only: the application role may only INSERT and SELECT.
CREATE TABLE ticket.history (
    ticket_id   uuid   NOT NULL REFERENCES ticket.tickets (id),
    sequence    bigint NOT NULL,
    tenant      text   NOT NULL,
    gbv         boolean NOT NULL,
    kind        text   NOT NULL,
    actor       text   NOT NULL,
    from_status text   NOT NULL DEFAULT '',
    to_status   text   NOT NULL DEFAULT '',
    reason      text   NOT NULL DEFAULT '',
    detail      text   NOT NULL DEFAULT '',
    event_id    uuid   NOT NULL,
    create_time timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, sequence)
);

CREATE TABLE ticket.notes (
    id          uuid PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES ticket.tickets (id),
    tenant      text NOT NULL,
    gbv         boolean NOT NULL,
    author      text NOT NULL,
    visibility  text NOT NULL CHECK (visibility IN ('internal','public')),
    body        text NOT NULL,
    create_time timestamptz NOT NULL
);
CREATE INDEX notes_ticket ON ticket.notes (ticket_id, create_time, id);

-- gbv_access_log records every read of a GBV ticket (POPIA accountability).
-- It holds ids only, never content.
CREATE TABLE ticket.gbv_access_log (
    id          bigserial PRIMARY KEY,
    tenant      text NOT NULL,
    ticket_id   uuid NOT NULL,
    subject     text NOT NULL,
    roles       text[] NOT NULL,
    action      text NOT NULL,
    create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gbv_access_log_ticket ON ticket.gbv_access_log (ticket_id, id);

-- Tenant wall on every table; on tickets, history and notes also the GBV wall:
-- GBV rows exist only for saps_liaison and the internal service role.
ALTER TABLE ticket.reference_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.reference_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.reference_counters
    USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

ALTER TABLE ticket.gbv_access_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.gbv_access_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.gbv_access_log
    USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

-- The GBV wall applies to reading (USING) only: a citizen must be able to
-- report GBV (INSERT checks WITH CHECK) without ever reading it back.
ALTER TABLE ticket.tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.tickets
    USING ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
           AND (category <> 'gbv' OR string_to_array(current_setting('app.roles', true), ',') && ARRAY['saps_liaison','service']))
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

ALTER TABLE ticket.history ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.history
    USING ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
           AND (NOT gbv OR string_to_array(current_setting('app.roles', true), ',') && ARRAY['saps_liaison','service']))
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

ALTER TABLE ticket.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.notes
    USING ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
           AND (NOT gbv OR string_to_array(current_setting('app.roles', true), ',') && ARRAY['saps_liaison','service']))
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

-- idempotent_receipt finds the ticket an idempotency key created, past the GBV
-- wall (SECURITY DEFINER) but never past the tenant wall, and returns only
-- non-content fields: a retried GBV report by a citizen must get its receipt.
CREATE FUNCTION ticket.idempotent_receipt(p_tenant text, p_key text)
RETURNS TABLE (id uuid, reference text, category text, status text, reporter_subject text, channel text, create_time timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT t.id, t.reference, t.category, t.status, t.reporter_subject, t.channel, t.create_time
    FROM ticket.tickets t
    WHERE t.tenant = p_tenant AND t.idempotency_key = p_key
      AND (t.tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
$$;

-- hidden_gbv reports whether id is a GBV ticket of a tenant the caller may
-- see, so a Get by a non-SAPS role can answer PermissionDenied rather than
-- NotFound. It reveals one bit, and only within the caller's own tenant.
CREATE FUNCTION ticket.hidden_gbv(p_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (
        SELECT 1 FROM ticket.tickets t
        WHERE t.id = p_id AND t.category = 'gbv'
          AND (t.tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on'))
$$;

GRANT USAGE ON SCHEMA ticket TO trustengine_app;
GRANT SELECT, INSERT, UPDATE ON ticket.reference_counters, ticket.tickets TO trustengine_app;
GRANT SELECT, INSERT ON ticket.history, ticket.notes, ticket.gbv_access_log TO trustengine_app;
GRANT USAGE, SELECT ON SEQUENCE ticket.gbv_access_log_id_seq TO trustengine_app;
REVOKE ALL ON FUNCTION ticket.idempotent_receipt(text, text), ticket.hidden_gbv(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ticket.idempotent_receipt(text, text), ticket.hidden_gbv(uuid) TO trustengine_app;

-- +goose Down
DROP SCHEMA ticket CASCADE;
