-- Priorities. A policy may be for one priority of a (municipality,
-- category): the lookup tries the ticket's priority first at each step and
-- falls back to the policy for every priority (''). Tickets and their
-- clocks remember the priority their policy was resolved for, so a rule
-- change re-resolves each clock with it. A priority change closes the
-- running segment ('priority_changed') and measures the rest against the
-- new priority's policy, like any other rule change.

-- +goose Up
ALTER TABLE sla.configs ADD COLUMN priority text NOT NULL DEFAULT ''
    CHECK (priority IN ('', 'p1_critical', 'p2_high', 'p3_medium', 'p4_low'));
ALTER TABLE sla.configs DROP CONSTRAINT configs_municipality_category_key;
ALTER TABLE sla.configs ADD CONSTRAINT configs_municipality_category_priority_key UNIQUE (municipality, category, priority);
ALTER TABLE sla.config_versions ADD COLUMN priority text NOT NULL DEFAULT '';
ALTER TABLE sla.tickets ADD COLUMN priority text NOT NULL DEFAULT '';
ALTER TABLE sla.clocks ADD COLUMN priority text NOT NULL DEFAULT '';
ALTER TABLE sla.clock_segments DROP CONSTRAINT clock_segments_end_reason_check;
ALTER TABLE sla.clock_segments ADD CONSTRAINT clock_segments_end_reason_check
    CHECK (end_reason IN ('paused', 'stopped', 'calendar_changed', 'policy_changed', 'priority_changed'));

-- +goose Down
ALTER TABLE sla.clock_segments DROP CONSTRAINT clock_segments_end_reason_check;
ALTER TABLE sla.clock_segments ADD CONSTRAINT clock_segments_end_reason_check
    CHECK (end_reason IN ('paused', 'stopped', 'calendar_changed', 'policy_changed'));
ALTER TABLE sla.clocks DROP COLUMN priority;
ALTER TABLE sla.tickets DROP COLUMN priority;
ALTER TABLE sla.config_versions DROP COLUMN priority;
ALTER TABLE sla.configs DROP CONSTRAINT configs_municipality_category_priority_key;
ALTER TABLE sla.configs ADD CONSTRAINT configs_municipality_category_key UNIQUE (municipality, category);
ALTER TABLE sla.configs DROP COLUMN priority;
