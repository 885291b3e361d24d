-- Other services log the answers of theirs that carry sealed GBV content
-- (routing's opened assignment notes) in this service's access log, through
-- TicketInternalService.RecordGbvAccess, delivered from their job queues at
-- least once. event_id is the id the answering service gave its answer; the
-- unique index makes a redelivery record nothing more. Entries written by
-- this service's own reads have none.

-- +goose Up
ALTER TABLE ticket.gbv_access_log ADD COLUMN event_id uuid;
CREATE UNIQUE INDEX gbv_access_log_event ON ticket.gbv_access_log (event_id, ticket_id) WHERE event_id IS NOT NULL;

-- +goose Down
DROP INDEX ticket.gbv_access_log_event;
ALTER TABLE ticket.gbv_access_log DROP COLUMN event_id;
