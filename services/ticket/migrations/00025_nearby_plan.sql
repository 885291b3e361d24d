-- nearby_tickets takes the ties at one place from tickets_same_place
-- (00024) whatever the planner knows of the table. A table its indexes
-- were built on while empty keeps reltuples = 0 until autovacuum first
-- analyzes it, and the planner, believing it empty, priced a walk of every
-- ticket of the tenant and category through tickets_nearby plus a sort by
-- id a hair below the btree's ordered look-up; the function's plan, cached
-- for the connection, then read every ticket at the place on each call
-- (a new municipality's first minute of reports, 3 to 50 ms a create in
-- the bench instead of 0.5). With sorts priced out, the only plans left
-- for the ties are the btree's, and nearest stays on the GiST index's
-- nearest-first walk; the answer's own ordering of at most 2 x p_limit
-- rows and the union still sort or hash as before. JIT is off as well: the
-- priced-out sort lifts the plan's cost above jit_above_cost, which would
-- compile every call (600 ms) for a look-up of a few rows.

-- +goose Up
ALTER FUNCTION ticket.nearby_tickets(text, text, float8, float8, float8, timestamptz, uuid, int)
    SET enable_sort = off;
ALTER FUNCTION ticket.nearby_tickets(text, text, float8, float8, float8, timestamptz, uuid, int)
    SET jit = off;

-- +goose Down
ALTER FUNCTION ticket.nearby_tickets(text, text, float8, float8, float8, timestamptz, uuid, int)
    RESET enable_sort;
ALTER FUNCTION ticket.nearby_tickets(text, text, float8, float8, float8, timestamptz, uuid, int)
    RESET jit;
