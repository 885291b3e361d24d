-- Queues put the most urgent tickets first: by priority, then the earliest
-- SLA deadline. The ticket service tells routing both with each ticket's
-- status (RecordTicketStatus carries the whole state at a history
-- sequence), so they are kept on the status mirror under its sequence.
-- Rows recorded before have no priority and no deadlines until the
-- ticket's next change: they sort after P4, deadlines last.

-- +goose Up
ALTER TABLE routing.ticket_status
  ADD COLUMN priority text NOT NULL DEFAULT '',
  ADD COLUMN response_deadline timestamptz,
  ADD COLUMN resolution_deadline timestamptz;

-- +goose Down
ALTER TABLE routing.ticket_status
  DROP COLUMN priority,
  DROP COLUMN response_deadline,
  DROP COLUMN resolution_deadline;
