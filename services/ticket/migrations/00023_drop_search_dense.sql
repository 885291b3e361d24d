-- A text search newest first now tests the tenant's newest tickets inside
-- the list query itself (store.newestMatching) and fills its page in that
-- one pass, instead of asking search_dense first and walking the same
-- tickets again; search_dense has no caller left.

-- +goose Up
DROP FUNCTION ticket.search_dense(text, text, int, int);

-- +goose Down
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
