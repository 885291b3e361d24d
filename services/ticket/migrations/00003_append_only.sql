-- History, notes and the GBV access log are append-only. Earlier start-ups
-- granted the application role UPDATE on every table of the schema (for
-- River's tables); take back what those three must never allow.

-- +goose Up
REVOKE UPDATE, DELETE, TRUNCATE ON ticket.history, ticket.notes, ticket.gbv_access_log FROM trustengine_app;

-- +goose Down
SELECT 1;
