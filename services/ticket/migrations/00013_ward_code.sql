-- The ward a ticket was created in: the code of the ward containing its
-- location in the ward boundary version in force when routing routed it,
-- told by routing with the routing assignment. It stays when the wards are
-- redrawn, so reports by ward keep counting tickets where they arose.

-- +goose Up
ALTER TABLE ticket.tickets ADD COLUMN ward_code text NOT NULL DEFAULT '';
CREATE INDEX tickets_ward_code ON ticket.tickets (tenant, ward_code, create_time) WHERE ward_code <> '';

-- +goose Down
DROP INDEX ticket.tickets_ward_code;
ALTER TABLE ticket.tickets DROP COLUMN ward_code;
