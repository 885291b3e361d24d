-- Ward boundary sets: the wards of a municipality as the Municipal
-- Demarcation Board draws them before each local election, kept as
-- versions with the date each comes into force. Like municipalities they
-- are official public data, not tenant data: every caller may read them,
-- so they carry no row-level security and the ward look-up of routing can
-- use the GIST index. Writes go through the use cases, which check who may
-- import a municipality's set.

-- +goose Up
CREATE TABLE routing.boundary_sets (
  id               uuid PRIMARY KEY,
  municipality     text NOT NULL REFERENCES routing.municipalities (code),
  version          integer NOT NULL CHECK (version > 0),
  effective_at     timestamptz NOT NULL,
  source           text NOT NULL DEFAULT '',
  -- Municipalities whose area this set absorbs (a 2016 merger such as
  -- NC083 into NC087): their ward teams retire when it comes into force.
  merged_from      text[] NOT NULL DEFAULT '{}',
  -- When set, the set builds a team of this category for each ward that
  -- has none, named team_name_prefix || the ward's label.
  team_category    text NOT NULL DEFAULT '',
  team_name_prefix text NOT NULL DEFAULT '',
  -- The comparison with the sets it replaces (domain.BoundaryReport).
  report           jsonb NOT NULL,
  created_by       text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- When teams built from wards followed the set (NULL until it is in force).
  applied_at       timestamptz,
  CONSTRAINT boundary_sets_version_key UNIQUE (municipality, version),
  CONSTRAINT boundary_sets_effective_key UNIQUE (municipality, effective_at)
);
CREATE INDEX boundary_sets_due ON routing.boundary_sets (effective_at) WHERE applied_at IS NULL;

CREATE TABLE routing.boundary_wards (
  set_id      uuid NOT NULL REFERENCES routing.boundary_sets (id),
  code        text NOT NULL,
  label       text NOT NULL,
  area        geometry(MultiPolygon, 4326) NOT NULL,
  area_sq_km  double precision NOT NULL,
  -- PostGIS's reason when the official shape was invalid and stored repaired.
  repaired    text NOT NULL DEFAULT '',
  PRIMARY KEY (set_id, code)
);
CREATE INDEX boundary_wards_area_gist ON routing.boundary_wards USING gist (area);

-- Versions are history: the application role adds them and marks them
-- applied, never deletes them. (The default privileges of the first
-- migration granted every table DELETE.)
REVOKE DELETE, TRUNCATE ON routing.boundary_sets, routing.boundary_wards FROM trustengine_app;
REVOKE UPDATE ON routing.boundary_wards FROM trustengine_app;

-- A team built from a ward carries the ward's code and follows it to each
-- new set; ward_retired_at says when its ward was no longer in force (the
-- team is then inactive, left without a ward).
ALTER TABLE routing.teams ADD COLUMN ward_code text NOT NULL DEFAULT '',
                          ADD COLUMN ward_retired_at timestamptz;
CREATE INDEX teams_ward_code ON routing.teams (tenant, ward_code) WHERE ward_code <> '';

-- +goose Down
ALTER TABLE routing.teams DROP COLUMN ward_retired_at, DROP COLUMN ward_code;
DROP TABLE routing.boundary_wards;
DROP TABLE routing.boundary_sets;
