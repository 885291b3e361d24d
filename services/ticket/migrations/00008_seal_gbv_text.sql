-- Every free text of a GBV ticket is sealed, not only the description, the
-- reporter contact and the notes: the address and the cancel reason move
-- into the ticket's sealed document, and each history entry of a GBV ticket
-- seals its reason (a status change's is the actor's free text) and its
-- detail, bound to tenant, ticket and sequence. The plaintext columns hold
-- '' and the CHECKs below make anything else impossible to write. A GBV
-- ticket's assignment and escalation reasons stay readable: they are codes
-- from routing, and the CHECK allows nothing but those codes there.
--
-- A history entry or note says itself whether it belongs to a GBV ticket
-- (gbv), which decides both its CHECK and row-level security; the foreign
-- keys on (ticket_id, gbv) make that flag the ticket's own, so no row can
-- dodge the CHECK by claiming not to be GBV.
--
-- The CHECKs are NOT VALID, so they bind every row written from now on
-- while rows written before stay as they are until the ticket service's
-- start-up step (store.SealLegacy, which holds the GBV keyring that SQL
-- does not) seals them in batches and then validates all three, together
-- with gbv_note_sealed of migration 00004.

-- +goose Up
ALTER TABLE ticket.history ADD COLUMN sealed bytea;
ALTER TABLE ticket.history ADD COLUMN sealed_key_id text;
ALTER TABLE ticket.history ADD COLUMN sealed_nonce bytea;
ALTER TABLE ticket.history ADD CONSTRAINT gbv_history_sealed CHECK (
    gbv = (sealed IS NOT NULL AND sealed_key_id IS NOT NULL AND sealed_nonce IS NOT NULL)
    AND (NOT gbv OR (reason = '' AND detail = ''))
) NOT VALID;

ALTER TABLE ticket.tickets ADD CONSTRAINT gbv_text_sealed CHECK (
    category <> 'gbv' OR (
        address = '' AND cancel_reason = ''
        AND escalation_reason IN ('', 'escalation', 'sla_breach')
        AND assignment_reason IN ('', 'geospatial_routing', 'fallback_nearest', 'triage',
                                  'manual_override', 'escalation', 'sla_breach'))
) NOT VALID;

ALTER TABLE ticket.tickets ADD COLUMN gbv boolean GENERATED ALWAYS AS (category = 'gbv') STORED;
CREATE UNIQUE INDEX tickets_id_gbv ON ticket.tickets (id, gbv);
ALTER TABLE ticket.history ADD CONSTRAINT history_ticket_gbv
    FOREIGN KEY (ticket_id, gbv) REFERENCES ticket.tickets (id, gbv);
ALTER TABLE ticket.notes ADD CONSTRAINT notes_ticket_gbv
    FOREIGN KEY (ticket_id, gbv) REFERENCES ticket.tickets (id, gbv);

-- +goose Down
-- Sealed history text is not unsealed here: that needs the keyring.
ALTER TABLE ticket.notes DROP CONSTRAINT notes_ticket_gbv;
ALTER TABLE ticket.history DROP CONSTRAINT history_ticket_gbv;
DROP INDEX ticket.tickets_id_gbv;
ALTER TABLE ticket.tickets DROP COLUMN gbv;
ALTER TABLE ticket.tickets DROP CONSTRAINT gbv_text_sealed;
ALTER TABLE ticket.history DROP CONSTRAINT gbv_history_sealed;
ALTER TABLE ticket.history DROP COLUMN sealed_nonce;
ALTER TABLE ticket.history DROP COLUMN sealed_key_id;
ALTER TABLE ticket.history DROP COLUMN sealed;
