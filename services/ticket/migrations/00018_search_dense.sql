-- Text search that matches many tickets: decide by the newest tickets.
--
-- ListTickets' text search (00006) first asked search_ids for up to 2,001
-- matches and walked the list only when there were more. Finding those
-- 2,001 matches meant a scan in no useful order (a seq scan that passes
-- other tenants' rows, or a bitmap of every match), and a search matching
-- 10% of a tenant of 1,000,000 tickets took up to seconds before the walk
-- began. search_dense answers the question the walk needs answered: are
-- matches common among the tenant's newest tickets? It walks the tenant's
-- (tenant, create_time DESC, id DESC) index newest first, at most p_window
-- tickets, and stops at p_min matches (the limit is pushed into the index
-- scan). When they are common, the list walks newest first and fills a
-- page within a few hundred tickets; when they are not, search_ids looks
-- them up through the trigram indexes as before. Like search_ids it runs
-- as the schema owner and keeps the tenant wall itself.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION ticket.search_dense(p_tenant text, p_pattern text, p_window int, p_min int)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  found int;
BEGIN
  IF p_tenant IS NULL
     OR (current_setting('app.all_tenants', true) IS DISTINCT FROM 'on'
         AND p_tenant IS DISTINCT FROM current_setting('app.tenant', true)) THEN
    RETURN false;
  END IF;
  SELECT count(*) INTO found FROM (
    SELECT 1 FROM (
      SELECT t.description, t.reference FROM ticket.tickets t
      WHERE t.tenant = p_tenant
      ORDER BY t.create_time DESC, t.id DESC
      LIMIT p_window) recent
    WHERE recent.description ILIKE p_pattern OR recent.reference ILIKE p_pattern
    LIMIT p_min) hits;
  RETURN found >= p_min;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION ticket.search_dense(text, text, int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ticket.search_dense(text, text, int, int) TO trustengine_app;

-- +goose Down
DROP FUNCTION ticket.search_dense(text, text, int, int);
