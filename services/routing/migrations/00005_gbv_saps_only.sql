-- GBV stays with SAPS teams, held by the database as well as the code:
--
-- 1. A GBV assignment names no team (triage), or an is_saps team of its own
--    municipality (trigger gbv_assignment_saps_only).
-- 2. A SAPS team escalates only to a SAPS team of its municipality, and a
--    team that holds or held a GBV ticket, or that a SAPS team escalates
--    to, stays a SAPS team (trigger gbv_team_saps_rules).
--
-- Both triggers lock the team they rely on (FOR SHARE), so a concurrent
-- change of that team waits for them and then sees their rows: under read
-- committed the two checks cannot both pass on stale data.

-- +goose Up
-- The teams that ever held a GBV ticket, for the check in gbv_team_saps_rules.
CREATE INDEX assignments_gbv_team ON routing.assignments (team_id) WHERE category = 'gbv';

-- A SAPS team that named a team other than a SAPS team of its municipality
-- as its escalation team escalated GBV tickets out of SAPS hands. Such
-- escalation teams are removed: escalation then stays on the SAPS team's
-- manager, which is what the service does with them from now on anyway.
UPDATE routing.teams s SET escalation_team_id = NULL, updated_at = now()
 WHERE s.is_saps AND s.escalation_team_id IS NOT NULL
   AND NOT EXISTS (SELECT FROM routing.teams t
                    WHERE t.id = s.escalation_team_id AND t.is_saps AND t.tenant = s.tenant);

-- +goose StatementBegin
CREATE FUNCTION routing.gbv_assignment_saps_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
  IF NEW.category = 'gbv' AND NEW.team_id IS NOT NULL THEN
    PERFORM FROM routing.teams t
      WHERE t.id = NEW.team_id AND t.is_saps AND t.tenant = NEW.tenant
      FOR SHARE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'a GBV ticket can only be assigned to a SAPS team of its municipality'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'gbv_assignment_saps_only',
              TABLE = 'assignments', SCHEMA = 'routing';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER gbv_assignment_saps_only
  BEFORE INSERT OR UPDATE OF tenant, category, team_id ON routing.assignments
  FOR EACH ROW EXECUTE FUNCTION routing.gbv_assignment_saps_only();

-- +goose StatementBegin
CREATE FUNCTION routing.gbv_team_saps_rules() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog
AS $$
BEGIN
  IF NEW.is_saps AND NEW.escalation_team_id IS NOT NULL AND NEW.escalation_team_id <> NEW.id THEN
    PERFORM FROM routing.teams t
      WHERE t.id = NEW.escalation_team_id AND t.is_saps AND t.tenant = NEW.tenant
      FOR SHARE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'a SAPS team can only escalate to a SAPS team of its municipality'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'gbv_saps_escalation',
              TABLE = 'teams', SCHEMA = 'routing';
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.is_saps AND (NOT NEW.is_saps OR NEW.tenant <> OLD.tenant) THEN
    IF EXISTS (SELECT FROM routing.assignments a WHERE a.team_id = NEW.id AND a.category = 'gbv') THEN
      RAISE EXCEPTION 'a team that holds or held GBV tickets stays a SAPS team of its municipality'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'gbv_team_stays_saps',
              TABLE = 'teams', SCHEMA = 'routing';
    END IF;
    IF EXISTS (SELECT FROM routing.teams s
                WHERE s.escalation_team_id = NEW.id AND s.is_saps AND s.id <> NEW.id) THEN
      RAISE EXCEPTION 'a team that a SAPS team escalates to stays a SAPS team of its municipality'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'gbv_saps_escalation',
              TABLE = 'teams', SCHEMA = 'routing';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER gbv_team_saps_rules
  BEFORE INSERT OR UPDATE ON routing.teams
  FOR EACH ROW EXECUTE FUNCTION routing.gbv_team_saps_rules();

-- +goose Down
DROP TRIGGER gbv_team_saps_rules ON routing.teams;
DROP FUNCTION routing.gbv_team_saps_rules();
DROP TRIGGER gbv_assignment_saps_only ON routing.assignments;
DROP FUNCTION routing.gbv_assignment_saps_only();
DROP INDEX routing.assignments_gbv_team;
