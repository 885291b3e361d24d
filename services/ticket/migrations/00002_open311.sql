-- +goose Up
-- api_keys are the credentials of client applications (Open311 civic apps),
-- one per application and tenant. Only the SHA-256 hash of the secret is
-- kept: the secret is 32 random bytes, so a fast hash is as strong as a slow
-- one and keeps verification cheap on every request.
CREATE TABLE ticket.api_keys (
    id          uuid PRIMARY KEY,
    tenant      text NOT NULL,
    client_name text NOT NULL,
    -- key_id is the public part of the key, looked up before the hash is
    -- compared, so verification is one index probe.
    key_id      text NOT NULL UNIQUE,
    secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
    created_by  text NOT NULL,
    create_time timestamptz NOT NULL,
    revoke_time timestamptz
);
CREATE INDEX api_keys_tenant ON ticket.api_keys (tenant, create_time DESC);

ALTER TABLE ticket.api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.api_keys
    USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');
GRANT SELECT, INSERT, UPDATE ON ticket.api_keys TO trustengine_app;

-- Open311 reports may carry a media URL and answers to service attributes.
-- GBV tickets keep both inside their sealed content instead, so the
-- gbv_sealed rule (no plaintext content on a GBV row) holds for them too.
ALTER TABLE ticket.tickets ADD COLUMN media_url text NOT NULL DEFAULT '';
ALTER TABLE ticket.tickets ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
ALTER TABLE ticket.tickets ADD CONSTRAINT gbv_no_media
    CHECK (category <> 'gbv' OR (media_url = '' AND attributes = '{}'));
CREATE INDEX tickets_tenant_updated ON ticket.tickets (tenant, update_time);

-- +goose Down
DROP INDEX ticket.tickets_tenant_updated;
ALTER TABLE ticket.tickets DROP CONSTRAINT gbv_no_media;
ALTER TABLE ticket.tickets DROP COLUMN attributes;
ALTER TABLE ticket.tickets DROP COLUMN media_url;
DROP TABLE ticket.api_keys;
