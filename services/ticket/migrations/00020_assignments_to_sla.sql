-- Releases before this one told the SLA service a ticket's team and ward
-- only with the status changes that followed routing's assignment, so a
-- ticket routed (or reassigned, or escalated) and not touched since counts
-- under no team or ward, or an old one, in SLA's reports. Every ticket with
-- an assignment or a ward is sent once more as an `assigned` SLA event,
-- queued here as outbox.SLAEventArgs would queue it: its current team (none:
-- the triage queue) under its current history sequence (the team as of
-- then: a newer status change the SLA service already applied carried the
-- same team) and its ward; a ward without an assignment without a
-- sequence. An event
-- that changes nothing there is recorded and ignored. A database River has
-- not migrated yet is a new one, without tickets.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
  IF to_regclass('ticket.river_job') IS NULL THEN
    RETURN;
  END IF;
  -- Every municipality's tickets (row-level security is forced on the
  -- owner too).
  PERFORM set_config('app.all_tenants', 'on', true);
  INSERT INTO ticket.river_job (args, kind, max_attempts, priority, queue, state)
  SELECT jsonb_build_object('event_id', gen_random_uuid(), 'tenant', t.tenant, 'ticket_id', t.id, 'category', t.category,
      'event', 'assigned', 'to', '', 'first_response', false,
      'occur_time', to_char(coalesce(t.assign_time, t.update_time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'sequence', CASE WHEN t.assign_time IS NOT NULL THEN t.history_seq ELSE 0 END,
      'team_id', t.assigned_team_id, 'ward_code', t.ward_code),
    'ticket.sla_event', 10000, 1, 'sla', 'available'
  FROM ticket.tickets t
  WHERE t.assign_time IS NOT NULL OR t.ward_code <> '';
END
$$;
-- +goose StatementEnd

-- +goose Down
-- The queued events change nothing but SLA's reports: nothing to undo.
