-- The assignment history is never rewritten: the application role may add
-- assignments and move the current flag, but not delete them. (The default
-- privileges of the first migration granted DELETE on every table.)

-- +goose Up
REVOKE DELETE, TRUNCATE ON routing.assignments FROM trustengine_app;

-- +goose Down
GRANT DELETE ON routing.assignments TO trustengine_app;
