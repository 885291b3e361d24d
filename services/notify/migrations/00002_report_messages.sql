-- +goose Up
-- A scheduled report's file mailed to its recipients (SendReportExport):
-- recipient 'address' is an email address given with the call (in
-- recipient_id), the file travels with the message, and the SLA service's
-- export is sent once per address however often the call is repeated.
ALTER TABLE notify.messages DROP CONSTRAINT messages_recipient_check;
ALTER TABLE notify.messages ADD CONSTRAINT messages_recipient_check
    CHECK (recipient IN ('reporter','staff','team','address'));
ALTER TABLE notify.messages
    ADD COLUMN export_id       text,
    ADD COLUMN attachment_name text NOT NULL DEFAULT '',
    ADD COLUMN attachment_type text NOT NULL DEFAULT '',
    ADD COLUMN attachment      bytea,
    ADD CONSTRAINT address_is_a_report CHECK ((recipient = 'address') = (export_id IS NOT NULL));
CREATE UNIQUE INDEX messages_export_once ON notify.messages (tenant, export_id, recipient_id) WHERE export_id IS NOT NULL;

-- +goose Down
DROP INDEX notify.messages_export_once;
DELETE FROM notify.messages WHERE recipient = 'address';
ALTER TABLE notify.messages DROP CONSTRAINT address_is_a_report,
    DROP COLUMN export_id, DROP COLUMN attachment_name, DROP COLUMN attachment_type, DROP COLUMN attachment;
ALTER TABLE notify.messages DROP CONSTRAINT messages_recipient_check;
ALTER TABLE notify.messages ADD CONSTRAINT messages_recipient_check CHECK (recipient IN ('reporter','staff','team'));
