-- Idempotency keys belong to the caller who sends them, hold a digest of
-- the request, and expire. Until now a key was unique per tenant in
-- tickets.idempotency_key: a second caller reusing another's key got the
-- first caller's ticket (or AlreadyExists) and their own report was
-- dropped, and a key held forever whatever body came with it.
--
-- idempotency_keys is keyed by (tenant, subject, key) and keeps the
-- SHA-256 of the canonical request (domain.CreateInput.Digest): the same
-- caller, key and request within 24 hours (domain.IdempotencyWindow) gets
-- the first ticket back, another request AlreadyExists. An expired key is
-- deleted when it is used again and by the service's hourly sweep. Keys
-- carry no content, so there is no GBV wall here; row-level security shows
-- a caller only their own keys (the sweep runs as the service role).
--
-- Keys of the last 24 hours move over with no digest: they still match any
-- request, as before, until they expire.

-- +goose Up
CREATE TABLE ticket.idempotency_keys (
    tenant       text NOT NULL,
    subject      text NOT NULL,
    key          text NOT NULL,
    request_hash bytea CHECK (length(request_hash) = 32),
    ticket_id    uuid NOT NULL REFERENCES ticket.tickets (id),
    create_time  timestamptz NOT NULL,
    PRIMARY KEY (tenant, subject, key)
);
CREATE INDEX idempotency_keys_create_time ON ticket.idempotency_keys (create_time);

INSERT INTO ticket.idempotency_keys (tenant, subject, key, ticket_id, create_time)
SELECT tenant, reporter_subject, idempotency_key, id, create_time FROM ticket.tickets
WHERE idempotency_key IS NOT NULL AND create_time > now() - interval '24 hours';

DROP FUNCTION ticket.idempotent_receipt(text, text);
ALTER TABLE ticket.tickets DROP COLUMN idempotency_key;

ALTER TABLE ticket.idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY own_keys ON ticket.idempotency_keys
    USING ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
           AND (subject = current_setting('app.subject', true)
                OR string_to_array(current_setting('app.roles', true), ',') && ARRAY['service']))
    WITH CHECK ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
           AND subject = current_setting('app.subject', true));
GRANT SELECT, INSERT, DELETE ON ticket.idempotency_keys TO trustengine_app;

-- idempotent_request finds the ticket a caller's key created, past the GBV
-- wall (SECURITY DEFINER: a citizen who reported GBV must get the receipt of
-- a retry) but never past the tenant wall or to another caller's key, and
-- returns the stored digest and the ticket's non-content fields only.
-- +goose StatementBegin
CREATE FUNCTION ticket.idempotent_request(p_tenant text, p_subject text, p_key text)
RETURNS TABLE (r_hash bytea, r_id uuid, r_reference text, r_category text, r_status text,
               r_reporter_subject text, r_channel text, r_create_time timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
  IF p_subject IS DISTINCT FROM current_setting('app.subject', true)
     OR (p_tenant IS DISTINCT FROM current_setting('app.tenant', true)
         AND current_setting('app.all_tenants', true) IS DISTINCT FROM 'on') THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT k.request_hash, t.id, t.reference, t.category, t.status, t.reporter_subject, t.channel, t.create_time
    FROM ticket.idempotency_keys k JOIN ticket.tickets t ON t.id = k.ticket_id
    WHERE k.tenant = p_tenant AND k.subject = p_subject AND k.key = p_key;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION ticket.idempotent_request(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ticket.idempotent_request(text, text, text) TO trustengine_app;

-- +goose Down
DROP FUNCTION ticket.idempotent_request(text, text, text);
ALTER TABLE ticket.tickets ADD COLUMN idempotency_key text;
-- One key per tenant again: where two callers used one key, the first keeps it.
UPDATE ticket.tickets t SET idempotency_key = k.key
FROM (SELECT DISTINCT ON (tenant, key) * FROM ticket.idempotency_keys ORDER BY tenant, key, create_time) k
WHERE k.ticket_id = t.id;
CREATE UNIQUE INDEX tickets_idempotency_key ON ticket.tickets (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
DROP TABLE ticket.idempotency_keys;
CREATE FUNCTION ticket.idempotent_receipt(p_tenant text, p_key text)
RETURNS TABLE (id uuid, reference text, category text, status text, reporter_subject text, channel text, create_time timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT t.id, t.reference, t.category, t.status, t.reporter_subject, t.channel, t.create_time
    FROM ticket.tickets t
    WHERE t.tenant = p_tenant AND t.idempotency_key = p_key
      AND (t.tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
$$;
REVOKE ALL ON FUNCTION ticket.idempotent_receipt(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ticket.idempotent_receipt(text, text) TO trustengine_app;
