-- Duplicates, followers and priorities.
--
-- A ticket closed as a duplicate names its parent (duplicate_of) and keeps
-- the status it had (pre_duplicate_status) so that unlinking restores it.
-- A parent is never a child: linking checks it under both rows' locks, and
-- duplicate_is_closed refuses a row that would be both, whatever the code
-- does. followers are the people told of a ticket besides its reporter.
--
-- priority is the ticket's priority (staff's, or else the rule's
-- suggestion); suggested_priority is the rule's; priority_by_staff says
-- whose priority holds.
--
-- nearby_tickets finds a municipality's tickets of one category near a
-- point through the GIST index below. Under row-level security no PostGIS
-- operator can use an index (none is LEAKPROOF), so the function runs as
-- the schema owner and keeps the walls itself: the tenant asked for must
-- be the transaction's, and GBV tickets are never returned (the index
-- leaves them out). It returns no content: ids, references, states, places.

-- +goose Up
ALTER TABLE ticket.tickets
    ADD COLUMN priority text NOT NULL DEFAULT ''
        CHECK (priority IN ('', 'p1_critical', 'p2_high', 'p3_medium', 'p4_low')),
    ADD COLUMN suggested_priority text NOT NULL DEFAULT ''
        CHECK (suggested_priority IN ('', 'p1_critical', 'p2_high', 'p3_medium', 'p4_low')),
    ADD COLUMN priority_by_staff boolean NOT NULL DEFAULT false,
    ADD COLUMN duplicate_of uuid REFERENCES ticket.tickets (id),
    ADD COLUMN pre_duplicate_status text NOT NULL DEFAULT '',
    ADD COLUMN linked_count int NOT NULL DEFAULT 0 CHECK (linked_count >= 0),
    ADD COLUMN follower_count int NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
    ADD CONSTRAINT duplicate_not_itself CHECK (duplicate_of <> id),
    ADD CONSTRAINT duplicate_is_closed CHECK (duplicate_of IS NULL OR (status = 'closed' AND linked_count = 0));

CREATE INDEX tickets_duplicate_of ON ticket.tickets (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- The nearby index holds only what ListNearbyTickets may return: open work
-- and resolved tickets of every category but GBV, never duplicates.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE INDEX tickets_nearby ON ticket.tickets USING gist (tenant, category, geography(location))
    WHERE category <> 'gbv' AND duplicate_of IS NULL
      AND status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved');

CREATE TABLE ticket.followers (
    ticket_id   uuid NOT NULL REFERENCES ticket.tickets (id),
    tenant      text NOT NULL,
    gbv         boolean NOT NULL,
    subject     text NOT NULL,
    -- follow: FollowTicket; duplicate: the reporter of a linked duplicate
    -- (removed again when it is unlinked).
    source      text NOT NULL CHECK (source IN ('follow', 'duplicate')),
    create_time timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, subject)
);

-- duplicate_settings are a municipality's nearby radii per category and
-- its priority keywords.
CREATE TABLE ticket.duplicate_settings (
    tenant      text PRIMARY KEY,
    radii       jsonb NOT NULL,
    keywords    jsonb NOT NULL,
    updated_by  text NOT NULL,
    update_time timestamptz NOT NULL
);

ALTER TABLE ticket.followers ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.followers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.followers
    USING ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
           AND (NOT gbv OR string_to_array(current_setting('app.roles', true), ',') && ARRAY['saps_liaison','service']))
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

ALTER TABLE ticket.duplicate_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.duplicate_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.duplicate_settings
    USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

GRANT SELECT, INSERT, DELETE ON ticket.followers TO trustengine_app;
GRANT SELECT, INSERT, UPDATE ON ticket.duplicate_settings TO trustengine_app;

-- +goose StatementBegin
CREATE FUNCTION ticket.nearby_tickets(p_tenant text, p_category text, p_lng float8, p_lat float8,
    p_radius float8, p_resolved_since timestamptz, p_exclude uuid, p_limit int)
RETURNS TABLE (id uuid, reference text, status text, lat float8, lng float8, linked_count int,
    create_time timestamptz, distance float8)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  here geography := geography(ST_SetSRID(ST_MakePoint(p_lng, p_lat), 4326));
BEGIN
  IF current_setting('app.all_tenants', true) IS DISTINCT FROM 'on'
     AND p_tenant IS DISTINCT FROM current_setting('app.tenant', true) THEN
    RETURN;
  END IF;
  IF p_category = 'gbv' THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT t.id, t.reference, t.status, t.lat, t.lng, t.linked_count, t.create_time,
           ST_Distance(geography(t.location), here, false)
    FROM ticket.tickets t
    WHERE t.tenant = p_tenant AND t.category = p_category
      AND t.category <> 'gbv' AND t.duplicate_of IS NULL
      AND t.status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved')
      AND (t.status <> 'resolved' OR t.resolve_time >= p_resolved_since)
      AND t.id IS DISTINCT FROM p_exclude
      AND ST_DWithin(geography(t.location), here, p_radius, false)
    ORDER BY geography(t.location) <-> here, t.id
    LIMIT p_limit;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION ticket.nearby_tickets(text, text, float8, float8, float8, timestamptz, uuid, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ticket.nearby_tickets(text, text, float8, float8, float8, timestamptz, uuid, int) TO trustengine_app;

-- +goose Down
DROP FUNCTION ticket.nearby_tickets(text, text, float8, float8, float8, timestamptz, uuid, int);
DROP TABLE ticket.duplicate_settings;
DROP TABLE ticket.followers;
DROP INDEX ticket.tickets_nearby;
DROP INDEX ticket.tickets_duplicate_of;
ALTER TABLE ticket.tickets DROP CONSTRAINT duplicate_is_closed, DROP CONSTRAINT duplicate_not_itself,
    DROP COLUMN follower_count, DROP COLUMN linked_count, DROP COLUMN pre_duplicate_status,
    DROP COLUMN duplicate_of, DROP COLUMN priority_by_staff, DROP COLUMN suggested_priority, DROP COLUMN priority;
