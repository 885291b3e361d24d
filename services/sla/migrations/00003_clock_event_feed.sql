-- Clock events become a feed other services consume: each gets a stable
-- UUID (the idempotency key of its ticket history entry), the deadline it
-- concerns and the id of the transaction that recorded it. The feed is read
-- in (xid, id) order and only below the oldest transaction still running,
-- so an event committed late is never skipped by a cursor that moved on.

-- +goose Up
ALTER TABLE sla.clock_events ADD COLUMN event_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE sla.clock_events ADD CONSTRAINT clock_events_event_id_key UNIQUE (event_id);
ALTER TABLE sla.clock_events ADD COLUMN deadline_at timestamptz;
ALTER TABLE sla.clock_events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX clock_events_feed_idx ON sla.clock_events (xid, id);

-- +goose Down
DROP INDEX sla.clock_events_feed_idx;
ALTER TABLE sla.clock_events DROP COLUMN xid;
ALTER TABLE sla.clock_events DROP COLUMN deadline_at;
ALTER TABLE sla.clock_events DROP COLUMN event_id;
