-- nearby_tickets no longer reads every ticket at the place where its
-- limit falls among tickets at one distance (reports geocoded to one
-- address, or a pin left where the map opened): 00022 read all of them
-- again to take the lowest ids, so each look-up, and each create, which
-- runs one to answer its likely duplicates, cost more with every report
-- at that place (the bench creates its tickets at two points). The ties
-- at one place now come from a btree index in id order, at most the
-- limit of them per place. The index is on the point itself (PostGIS's
-- btree equality: the same coordinates), not on lat and lng, whose index
-- (00005) the planner would take for a place it expects few tickets at,
-- and then read and sort all of them. The answer is the same for reports at one
-- place; tickets at other places exactly as far (on one circle around
-- the point) are ordered by id only among those the nearest-first walk
-- took.

-- +goose Up
CREATE INDEX tickets_same_place ON ticket.tickets (tenant, category, location, id)
    WHERE category <> 'gbv' AND duplicate_of IS NULL
      AND status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved');

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ticket.nearby_tickets(p_tenant text, p_category text, p_lng float8, p_lat float8,
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
    WITH nearest AS MATERIALIZED (
      SELECT t.id, t.reference, t.status, t.lat, t.lng, t.linked_count, t.create_time,
             ST_Distance(geography(t.location), here, false) AS d
      FROM ticket.tickets t
      WHERE t.tenant = p_tenant AND t.category = p_category
        AND t.category <> 'gbv' AND t.duplicate_of IS NULL
        AND t.status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved')
        AND (t.status <> 'resolved' OR t.resolve_time >= p_resolved_since)
        AND t.id IS DISTINCT FROM p_exclude
        AND ST_DWithin(geography(t.location), here, p_radius, false)
      ORDER BY geography(t.location) <-> here
      LIMIT p_limit + 1
    ), edge AS (
      -- The last ticket the answer takes and the one after it.
      SELECT count(*) AS n, (array_agg(nr.d ORDER BY nr.d))[p_limit] AS d,
             (array_agg(nr.d ORDER BY nr.d))[p_limit + 1] AS next
      FROM nearest nr
    ), edge_places AS (
      -- The places of the tickets at the edge's distance, when the limit
      -- falls among them.
      SELECT DISTINCT t.location
      FROM nearest nr JOIN ticket.tickets t ON t.id = nr.id, edge e
      WHERE e.n > p_limit AND e.next <= e.d + 1e-6 AND nr.d >= e.d - 1e-6
    ), within_edge AS (
      SELECT t.id, t.reference, t.status, t.lat, t.lng, t.linked_count, t.create_time,
             ST_Distance(geography(t.location), here, false) AS d
      FROM edge_places p, LATERAL (
        SELECT s.*
        FROM ticket.tickets s
        WHERE s.tenant = p_tenant AND s.category = p_category
          AND s.location = p.location
          AND s.category <> 'gbv' AND s.duplicate_of IS NULL
          AND s.status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved')
          AND (s.status <> 'resolved' OR s.resolve_time >= p_resolved_since)
          AND s.id IS DISTINCT FROM p_exclude
        ORDER BY s.id
        LIMIT p_limit
      ) t
    ), found AS (
      SELECT * FROM nearest UNION SELECT * FROM within_edge
    )
    SELECT f.id, f.reference, f.status, f.lat, f.lng, f.linked_count, f.create_time, f.d
    FROM found f
    ORDER BY f.d, f.id
    LIMIT p_limit;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ticket.nearby_tickets(p_tenant text, p_category text, p_lng float8, p_lat float8,
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
    WITH nearest AS MATERIALIZED (
      SELECT t.id, t.reference, t.status, t.lat, t.lng, t.linked_count, t.create_time,
             ST_Distance(geography(t.location), here, false) AS d
      FROM ticket.tickets t
      WHERE t.tenant = p_tenant AND t.category = p_category
        AND t.category <> 'gbv' AND t.duplicate_of IS NULL
        AND t.status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved')
        AND (t.status <> 'resolved' OR t.resolve_time >= p_resolved_since)
        AND t.id IS DISTINCT FROM p_exclude
        AND ST_DWithin(geography(t.location), here, p_radius, false)
      ORDER BY geography(t.location) <-> here
      LIMIT p_limit + 1
    ), edge AS (
      -- The last ticket the answer takes and the one after it.
      SELECT count(*) AS n, (array_agg(nr.d ORDER BY nr.d))[p_limit] AS d,
             (array_agg(nr.d ORDER BY nr.d))[p_limit + 1] AS next
      FROM nearest nr
    ), within_edge AS (
      SELECT t.id, t.reference, t.status, t.lat, t.lng, t.linked_count, t.create_time,
             ST_Distance(geography(t.location), here, false) AS d
      FROM edge e, ticket.tickets t
      WHERE e.n > p_limit AND e.next <= e.d + 1e-6
        AND t.tenant = p_tenant AND t.category = p_category
        AND t.category <> 'gbv' AND t.duplicate_of IS NULL
        AND t.status IN ('open', 'in_progress', 'awaiting_citizen', 'resolved')
        AND (t.status <> 'resolved' OR t.resolve_time >= p_resolved_since)
        AND t.id IS DISTINCT FROM p_exclude
        AND ST_DWithin(geography(t.location), here, e.d + 1e-6, false)
    ), found AS (
      SELECT * FROM nearest UNION SELECT * FROM within_edge
    )
    SELECT f.id, f.reference, f.status, f.lat, f.lng, f.linked_count, f.create_time, f.d
    FROM found f
    ORDER BY f.d, f.id
    LIMIT p_limit;
END
$$;
-- +goose StatementEnd

DROP INDEX ticket.tickets_same_place;
