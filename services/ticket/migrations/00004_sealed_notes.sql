-- Notes on GBV tickets are sealed like the ticket's description: the body is
-- AES-256-GCM under the GBV keyring (key id + nonce stored, bound to tenant,
-- ticket and note as associated data) and the plaintext column holds ''.
--
-- The constraint is NOT VALID: it binds every row written from now on, while
-- GBV notes written before this migration (plaintext, sealed IS NULL) are not
-- checked; the store still reads those as they are.

-- +goose Up
ALTER TABLE ticket.notes ADD COLUMN sealed bytea;
ALTER TABLE ticket.notes ADD COLUMN sealed_key_id text;
ALTER TABLE ticket.notes ADD COLUMN sealed_nonce bytea;
ALTER TABLE ticket.notes ADD CONSTRAINT gbv_note_sealed CHECK (
    gbv = (sealed IS NOT NULL AND sealed_key_id IS NOT NULL AND sealed_nonce IS NOT NULL)
    AND (NOT gbv OR body = '')
) NOT VALID;

-- +goose Down
ALTER TABLE ticket.notes DROP CONSTRAINT gbv_note_sealed;
ALTER TABLE ticket.notes DROP COLUMN sealed_nonce;
ALTER TABLE ticket.notes DROP COLUMN sealed_key_id;
ALTER TABLE ticket.notes DROP COLUMN sealed;
