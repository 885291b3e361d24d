-- Text search of ListTickets (`query`, in the description or reference)
-- through trigram indexes.
--
-- ILIKE is not LEAKPROOF, so under row-level security no index can serve
-- it: a search read the tenant's tickets newest first until a page was
-- full, which for a reference or a rare word is all of them. search_ids
-- runs as the schema owner, keeps the tenant wall itself (the tenant asked
-- for must be the transaction's, unless it is scoped to all tenants) and
-- returns at most p_limit matching ids; the caller's query then applies
-- every visibility rule to them under row-level security as before. The
-- statement is planned on each call (EXECUTE), with the pattern known, so
-- the planner can weigh the trigram indexes against the pattern.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX tickets_description_trgm ON ticket.tickets USING gin (description gin_trgm_ops);
CREATE INDEX tickets_reference_trgm ON ticket.tickets USING gin (reference gin_trgm_ops);

-- +goose StatementBegin
CREATE FUNCTION ticket.search_ids(p_tenant text, p_query text, p_pattern text, p_limit int)
RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
  IF current_setting('app.all_tenants', true) IS DISTINCT FROM 'on'
     AND (p_tenant IS NULL OR p_tenant IS DISTINCT FROM current_setting('app.tenant', true)) THEN
    RETURN;
  END IF;
  IF p_tenant IS NULL THEN
    RETURN QUERY EXECUTE
      'SELECT id FROM ticket.tickets WHERE description ILIKE $1 OR reference ILIKE $1 LIMIT $2'
      USING p_pattern, p_limit;
  ELSIF upper(p_query) LIKE upper(p_tenant) || '-%'
        AND substr(p_query, length(p_tenant) + 2) ~ '^[0-9]{4}-[0-9]{6,}$' THEN
    -- A whole reference of the tenant (CPT-2026-000123): every reference
    -- shares the trigrams of its tenant and year, so the unique index
    -- finds it, not the trigram index. It finds that ticket, not the
    -- longer references it is a prefix of.
    RETURN QUERY EXECUTE
      'SELECT id FROM ticket.tickets WHERE tenant = $1 AND reference = $2
       UNION SELECT id FROM ticket.tickets WHERE tenant = $1 AND description ILIKE $3 LIMIT $4'
      USING p_tenant, upper(p_query), p_pattern, p_limit;
  ELSE
    RETURN QUERY EXECUTE
      'SELECT id FROM ticket.tickets WHERE tenant = $1 AND (description ILIKE $2 OR reference ILIKE $2) LIMIT $3'
      USING p_tenant, p_pattern, p_limit;
  END IF;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION ticket.search_ids(text, text, text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ticket.search_ids(text, text, text, int) TO trustengine_app;

-- +goose Down
DROP FUNCTION ticket.search_ids(text, text, text, int);
DROP INDEX ticket.tickets_reference_trgm;
DROP INDEX ticket.tickets_description_trgm;
