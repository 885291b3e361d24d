-- A follower hears of the ticket's updates through the notification
-- service, which knows people only as the reporters of their tickets: a
-- citizen who follows a ticket is reached through their latest own report
-- when they follow (contact_ticket_id). Staff who follow, and follows
-- recorded before this, have none and hear nothing. The reporters of
-- linked duplicates are reached through the duplicates themselves.

-- +goose Up
ALTER TABLE ticket.followers ADD COLUMN contact_ticket_id uuid REFERENCES ticket.tickets (id);

-- +goose Down
ALTER TABLE ticket.followers DROP COLUMN contact_ticket_id;
