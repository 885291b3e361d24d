-- A ticket's team has its own order, apart from last_sequence (which
-- orders status and priority changes): team_sequence is the ticket history
-- sequence of the event team_id was taken from. Assignments reach the SLA
-- service as events of their own (kind `assigned`), and one delivered after
-- a newer assignment, or after a status change that carried the newer
-- team, must change nothing. 0: no ordered event has set the team yet.

-- +goose Up
ALTER TABLE sla.tickets ADD COLUMN team_sequence bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sla.tickets DROP COLUMN team_sequence;
