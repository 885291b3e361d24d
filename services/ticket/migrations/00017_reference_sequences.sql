-- References (CPT-2026-000123) from a Postgres sequence per tenant and
-- year instead of a counter row.
--
-- The counter row of 00001 was locked by every create of the tenant until
-- its commit, flush included, so one municipality's creates ran one at a
-- time. nextval holds no lock across the commit: creates of one tenant
-- run side by side. References stay unique per tenant and year (the
-- UNIQUE (tenant, reference) of tickets still guards them) and readable,
-- but are no longer gapless: a rolled-back create, or a crash, leaves a
-- number unused.
--
-- next_reference makes the tenant's sequence for the year on its first
-- use (ticket.reference_<tenant>_<year>), starting after the last number
-- the old counter handed out, and returns the formatted reference. It runs
-- as the schema owner, so the app role needs no right on the sequences,
-- and keeps the tenant wall itself. Two first creates of a year that race
-- both try CREATE SEQUENCE: the loser waits for the winner's commit, meets
-- its sequence (unique_violation) and takes a number from it.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION ticket.next_reference(p_tenant text, p_year int)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  name text;
  rel regclass;
  first bigint;
  n bigint;
BEGIN
  IF p_tenant IS NULL OR p_tenant !~ '^[A-Z0-9]{2,8}$' OR p_year IS NULL OR p_year NOT BETWEEN 1 AND 9999 THEN
    RAISE EXCEPTION 'ticket.next_reference: tenant must be a municipality code and year 1 to 9999'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF current_setting('app.all_tenants', true) IS DISTINCT FROM 'on'
     AND p_tenant IS DISTINCT FROM current_setting('app.tenant', true) THEN
    RAISE EXCEPTION 'ticket.next_reference: tenant % is not the transaction''s', p_tenant
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  name := format('ticket.%I', 'reference_' || lower(p_tenant) || '_' || p_year);
  rel := to_regclass(name);
  IF rel IS NULL THEN
    SELECT coalesce(max(c.last), 0) + 1 INTO first
    FROM ticket.reference_counters c WHERE c.tenant = p_tenant AND c.year = p_year;
    BEGIN
      EXECUTE format('CREATE SEQUENCE %s AS bigint START WITH %s', name, first);
    EXCEPTION WHEN unique_violation OR duplicate_table THEN
      NULL; -- a concurrent first create made it
    END;
    rel := name::regclass;
  END IF;
  n := nextval(rel);
  RETURN p_tenant || '-' || p_year || '-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION ticket.next_reference(text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ticket.next_reference(text, int) TO trustengine_app;

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE s record;
BEGIN
  -- Carry every sequence's position back into the counters, then drop it.
  FOR s IN SELECT c.relname, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'ticket' AND c.relkind = 'S' AND c.relname ~ '^reference_[a-z0-9]+_[0-9]+$' LOOP
    EXECUTE format($q$INSERT INTO ticket.reference_counters (tenant, year, last)
      SELECT upper(substring(%L from '^reference_([a-z0-9]+)_')), substring(%L from '_([0-9]+)$')::int, last_value
      FROM ticket.%I WHERE is_called
      ON CONFLICT (tenant, year) DO UPDATE SET last = greatest(reference_counters.last, excluded.last)$q$,
      s.relname, s.relname, s.relname);
    EXECUTE format('DROP SEQUENCE ticket.%I', s.relname);
  END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION ticket.next_reference(text, int);
