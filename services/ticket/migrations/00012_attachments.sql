-- Photos on tickets and on their notes. The pictures themselves are objects
-- in storage (a local directory or S3), cleaned of every metadata before
-- they get there; these rows say whose they are. An object's key is the
-- tenant and the SHA-256 of the stored bytes (the ciphertext, for a GBV
-- ticket), so keys carry no personal data and equal pictures of a tenant
-- share one object.
--
-- A GBV ticket's attachments are sealed like its notes: the objects are
-- sealed streams (libs/seal), and the file name and the picture's hash sit
-- in the row's sealed document, bound to tenant, ticket and attachment;
-- the plaintext columns hold '' and the CHECK makes anything else
-- impossible to write, public included. The (ticket_id, gbv) foreign key
-- ties the flag to the ticket's category, as for notes and history.

-- +goose Up
CREATE UNIQUE INDEX notes_id_ticket ON ticket.notes (id, ticket_id);

CREATE TABLE ticket.attachments (
    id                 uuid PRIMARY KEY,
    ticket_id          uuid NOT NULL,
    tenant             text NOT NULL,
    gbv                boolean NOT NULL,
    note_id            uuid,
    file_name          text NOT NULL DEFAULT '',
    sha256             text NOT NULL DEFAULT '',
    sealed             bytea,
    sealed_key_id      text,
    sealed_nonce       bytea,
    content_type       text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    size_bytes         bigint NOT NULL CHECK (size_bytes > 0),
    width              int NOT NULL CHECK (width > 0),
    height             int NOT NULL CHECK (height > 0),
    object_key         text NOT NULL CHECK (object_key ~ '^[A-Z0-9]{2,8}/[0-9a-f]{64}$'),
    thumb_key          text NOT NULL CHECK (thumb_key ~ '^[A-Z0-9]{2,8}/[0-9a-f]{64}$'),
    thumb_content_type text NOT NULL CHECK (thumb_content_type IN ('image/jpeg', 'image/png')),
    thumb_size_bytes   bigint NOT NULL CHECK (thumb_size_bytes > 0),
    thumb_width        int NOT NULL CHECK (thumb_width > 0),
    thumb_height       int NOT NULL CHECK (thumb_height > 0),
    public             boolean NOT NULL DEFAULT false,
    created_by         text NOT NULL,
    create_time        timestamptz NOT NULL,
    CONSTRAINT attachments_ticket_gbv FOREIGN KEY (ticket_id, gbv) REFERENCES ticket.tickets (id, gbv),
    CONSTRAINT attachments_note FOREIGN KEY (note_id, ticket_id) REFERENCES ticket.notes (id, ticket_id),
    CONSTRAINT attachments_keys_of_tenant CHECK (
        split_part(object_key, '/', 1) = tenant AND split_part(thumb_key, '/', 1) = tenant),
    CONSTRAINT gbv_attachment_sealed CHECK (
        gbv = (sealed IS NOT NULL AND sealed_key_id IS NOT NULL AND sealed_nonce IS NOT NULL)
        AND (NOT gbv OR (file_name = '' AND sha256 = '' AND NOT public)))
);
CREATE INDEX attachments_ticket ON ticket.attachments (ticket_id, create_time, id);
CREATE INDEX attachments_object ON ticket.attachments (object_key);
CREATE INDEX attachments_thumb ON ticket.attachments (thumb_key);

-- object_sweep lists objects that may have lost their last attachment (due
-- at once), or were written for an upload that may not finish (due when
-- its grace ends): the sweep deletes each once it is due, no upload of it
-- is in flight and no attachment refers to it.
CREATE TABLE ticket.object_sweep (
    object_key text PRIMARY KEY CHECK (object_key ~ '^[A-Z0-9]{2,8}/[0-9a-f]{64}$'),
    tenant     text NOT NULL,
    due        timestamptz NOT NULL
);
CREATE INDEX object_sweep_due ON ticket.object_sweep (due);

-- object_uploads are uploads in flight: an upload registers the keys of its
-- objects before it writes them and removes its rows in the transaction
-- that commits its attachments, so the sweep never deletes an object under
-- an upload of the same picture. Rows of an upload that never finished
-- (a crash) expire at until. Registering and sweeping take the key's
-- advisory lock.
CREATE TABLE ticket.object_uploads (
    upload_id  uuid NOT NULL,
    object_key text NOT NULL CHECK (object_key ~ '^[A-Z0-9]{2,8}/[0-9a-f]{64}$'),
    tenant     text NOT NULL,
    until      timestamptz NOT NULL,
    PRIMARY KEY (upload_id, object_key)
);
CREATE INDEX object_uploads_key ON ticket.object_uploads (object_key, until);

-- attachment_retention is a municipality's rule for keeping the photos of
-- finished tickets (POPIA: no longer than needed).
CREATE TABLE ticket.attachment_retention (
    tenant         text PRIMARY KEY,
    retention_days int NOT NULL CHECK (retention_days BETWEEN 0 AND 36500),
    updated_by     text NOT NULL,
    update_time    timestamptz NOT NULL
);

ALTER TABLE ticket.attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.attachments
    USING ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
           AND (NOT gbv OR string_to_array(current_setting('app.roles', true), ',') && ARRAY['saps_liaison','service']))
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

ALTER TABLE ticket.object_sweep ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.object_sweep FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.object_sweep
    USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

ALTER TABLE ticket.object_uploads ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.object_uploads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.object_uploads
    USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

ALTER TABLE ticket.attachment_retention ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket.attachment_retention FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ticket.attachment_retention
    USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
    WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on');

GRANT SELECT, INSERT, UPDATE, DELETE ON ticket.attachments, ticket.object_sweep, ticket.object_uploads TO trustengine_app;
GRANT SELECT, INSERT, UPDATE ON ticket.attachment_retention TO trustengine_app;

-- +goose Down
DROP TABLE ticket.attachment_retention;
DROP TABLE ticket.object_uploads;
DROP TABLE ticket.object_sweep;
DROP TABLE ticket.attachments;
DROP INDEX ticket.notes_id_ticket;
