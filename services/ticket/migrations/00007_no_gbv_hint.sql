-- A ticket a caller may not see reads as NotFound, exactly like a missing
-- one, GBV tickets included: answering PermissionDenied for a GBV ticket of
-- the caller's tenant told every role of the tenant which ids are GBV
-- tickets. hidden_gbv existed only to give that answer.

-- +goose Up
DROP FUNCTION ticket.hidden_gbv(uuid);

-- +goose Down
CREATE FUNCTION ticket.hidden_gbv(p_id uuid)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (
        SELECT 1 FROM ticket.tickets t
        WHERE t.id = p_id AND t.category = 'gbv'
          AND (t.tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on'))
$$;
REVOKE ALL ON FUNCTION ticket.hidden_gbv(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ticket.hidden_gbv(uuid) TO trustengine_app;
