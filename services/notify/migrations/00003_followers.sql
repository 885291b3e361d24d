-- +goose Up
-- Followers of a ticket (the reporters of the duplicates linked to it, and
-- the people following it, each reached through a report of their own)
-- hear of its status changes and public notes: each event keeps the
-- tickets whose reporters followed it then, and a follower's message is
-- recipient 'follower' with that ticket's id, once per (event, follower,
-- channel) by messages_once. A GBV event keeps none: its followers hear
-- nothing.
ALTER TABLE notify.events ADD COLUMN followers uuid[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT gbv_no_followers CHECK (NOT gbv OR followers = '{}');
ALTER TABLE notify.messages DROP CONSTRAINT messages_recipient_check;
ALTER TABLE notify.messages ADD CONSTRAINT messages_recipient_check
    CHECK (recipient IN ('reporter','follower','staff','team','address'));

-- +goose Down
DELETE FROM notify.messages WHERE recipient = 'follower';
ALTER TABLE notify.messages DROP CONSTRAINT messages_recipient_check;
ALTER TABLE notify.messages ADD CONSTRAINT messages_recipient_check
    CHECK (recipient IN ('reporter','staff','team','address'));
ALTER TABLE notify.events DROP CONSTRAINT gbv_no_followers, DROP COLUMN followers;
