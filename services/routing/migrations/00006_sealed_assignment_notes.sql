-- The note of a GBV assignment (a reassignment's reason, an escalation's
-- cause) is sealed under the GBV key ring like the ticket's description:
-- note holds '' and note_sealed, note_key_id and note_nonce the sealed text
-- (AES-256-GCM, bound to tenant, ticket and assignment), which the
-- constraint gbv_note_sealed enforces. SQL has no key, so GBV notes written
-- in plain text before this migration are sealed by the service at start
-- (store.SealLegacyNotes), which then validates the constraint; on a
-- database without such rows it is validated here.
--
-- The application role may from now on only move the current flag of an
-- assignment: the history, and the sealed notes in it, are never rewritten.

-- +goose Up
ALTER TABLE routing.assignments ADD COLUMN note_sealed bytea;
ALTER TABLE routing.assignments ADD COLUMN note_key_id text;
ALTER TABLE routing.assignments ADD COLUMN note_nonce bytea;
ALTER TABLE routing.assignments ADD CONSTRAINT gbv_note_sealed CHECK (
  (note_sealed IS NULL) = (note_key_id IS NULL) AND (note_sealed IS NULL) = (note_nonce IS NULL)
  AND CASE WHEN category = 'gbv' THEN note = '' ELSE note_sealed IS NULL END
) NOT VALID;

-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM routing.assignments WHERE category = 'gbv' AND note <> '') THEN
    ALTER TABLE routing.assignments VALIDATE CONSTRAINT gbv_note_sealed;
  END IF;
END
$$;
-- +goose StatementEnd

REVOKE UPDATE ON routing.assignments FROM trustengine_app;
GRANT UPDATE (is_current) ON routing.assignments TO trustengine_app;

-- +goose Down
REVOKE UPDATE (is_current) ON routing.assignments FROM trustengine_app;
GRANT UPDATE ON routing.assignments TO trustengine_app;
ALTER TABLE routing.assignments DROP CONSTRAINT gbv_note_sealed;
ALTER TABLE routing.assignments DROP COLUMN note_nonce;
ALTER TABLE routing.assignments DROP COLUMN note_key_id;
ALTER TABLE routing.assignments DROP COLUMN note_sealed;
