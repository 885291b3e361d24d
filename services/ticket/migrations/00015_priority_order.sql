-- ListTickets in priority order (most urgent first, then the soonest
-- resolution deadline) walks this index per tenant, as the other orders
-- walk theirs; no priority sorts after P4 ('p9').

-- +goose Up
CREATE INDEX tickets_tenant_priority ON ticket.tickets
    (tenant, (CASE WHEN priority = '' THEN 'p9' ELSE priority END), resolution_deadline, id);

-- +goose Down
DROP INDEX ticket.tickets_tenant_priority;
