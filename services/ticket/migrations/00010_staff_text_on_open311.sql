-- Open311 is anonymous and public: of the text people write on a ticket
-- after reporting it, it publishes only what municipal staff wrote. A
-- citizen's public note (which may hold a phone number or a gate code) stays
-- visible to staff and to that citizen, and a citizen's reason for
-- cancelling their own report is not published either.
--
-- Existing rows: a citizen can only write on their own tickets, so a note by
-- the ticket's reporter, or a cancellation by them, is taken as a citizen's
-- (staff who reported a ticket themselves lose publication of their notes
-- on it, never the other way round). GBV rows are left alone: they are never
-- published, and older ones may still await sealing (migration 00008). Both
-- columns default to false: text of unknown origin is not published.

-- +goose Up
ALTER TABLE ticket.notes ADD COLUMN by_staff boolean NOT NULL DEFAULT false;
UPDATE ticket.notes n SET by_staff = true
FROM ticket.tickets t WHERE t.id = n.ticket_id AND NOT n.gbv AND n.author <> t.reporter_subject;

ALTER TABLE ticket.tickets ADD COLUMN cancelled_by_staff boolean NOT NULL DEFAULT false;
UPDATE ticket.tickets t SET cancelled_by_staff = true
WHERE t.status = 'cancelled' AND t.category <> 'gbv' AND EXISTS (
    SELECT 1 FROM ticket.history h
    WHERE h.ticket_id = t.id AND h.kind = 'status_changed' AND h.to_status = 'cancelled' AND h.actor <> t.reporter_subject);

-- +goose Down
ALTER TABLE ticket.tickets DROP COLUMN cancelled_by_staff;
ALTER TABLE ticket.notes DROP COLUMN by_staff;
