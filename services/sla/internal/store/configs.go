package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/sla/internal/domain"
)

const configColumns = `id, municipality, category, response_hours, resolution_hours, warning_threshold_pct,
	calendar_id, pause_statuses, version, create_time, update_time, updated_by, priority`

func scanConfig(row pgx.Row) (domain.Config, error) {
	var c domain.Config
	var cal *string
	err := row.Scan(&c.ID, &c.Municipality, &c.Category, &c.ResponseHours, &c.ResolutionHours, &c.WarningPct,
		&cal, &c.PauseStatuses, &c.Version, &c.CreateTime, &c.UpdateTime, &c.UpdatedBy, &c.Priority)
	c.CalendarID = fromNullID(cal)
	c.CreateTime, c.UpdateTime = c.CreateTime.UTC(), c.UpdateTime.UTC()
	return c, err
}

func collectConfigs(op string, rows pgx.Rows, err error) ([]domain.Config, error) {
	if err != nil {
		return nil, wrap(op, err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Config, error) { return scanConfig(r) })
	return cs, wrap(op, err)
}

// InsertConfig stores a new policy as version 1, in force from at.
func InsertConfig(ctx context.Context, tx pgx.Tx, c domain.Config, at time.Time) (domain.Config, error) {
	if c.PauseStatuses == nil {
		c.PauseStatuses = []string{}
	}
	out, err := scanConfig(tx.QueryRow(ctx, `INSERT INTO sla.configs (municipality, category, response_hours, resolution_hours,
		warning_threshold_pct, calendar_id, pause_statuses, updated_by, create_time, update_time, priority)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,$10)
		RETURNING `+configColumns, c.Municipality, c.Category, c.ResponseHours, c.ResolutionHours, c.WarningPct,
		nullID(c.CalendarID), c.PauseStatuses, c.UpdatedBy, at.UTC(), c.Priority))
	if err != nil {
		return out, interpretError("store.InsertConfig", err, outcomes{taken: domain.ErrConfigTaken})
	}
	return out, insertConfigVersion(ctx, tx, out, false)
}

// UpdateConfig stores new values under the next version, in force from at;
// the earlier versions stay as they were.
func UpdateConfig(ctx context.Context, tx pgx.Tx, c domain.Config, at time.Time) (domain.Config, error) {
	if c.PauseStatuses == nil {
		c.PauseStatuses = []string{}
	}
	out, err := scanConfig(tx.QueryRow(ctx, `UPDATE sla.configs SET response_hours = $2, resolution_hours = $3,
		warning_threshold_pct = $4, calendar_id = $5, pause_statuses = $6, updated_by = $7,
		version = version + 1, update_time = $8 WHERE id = $1 RETURNING `+configColumns,
		c.ID, c.ResponseHours, c.ResolutionHours, c.WarningPct, nullID(c.CalendarID), c.PauseStatuses, c.UpdatedBy, at.UTC()))
	if err != nil {
		return out, interpretError("store.UpdateConfig", err, outcomes{noRows: domain.ErrConfigNotFound})
	}
	return out, insertConfigVersion(ctx, tx, out, false)
}

// DeleteConfig removes a policy and returns what it was; its history gets a
// last version, in force from at, that records the deletion.
func DeleteConfig(ctx context.Context, tx pgx.Tx, id string, at time.Time, by string) (domain.Config, error) {
	out, err := scanConfig(tx.QueryRow(ctx, `DELETE FROM sla.configs WHERE id = $1 RETURNING `+configColumns, id))
	if err != nil {
		return out, interpretError("store.DeleteConfig", err, outcomes{noRows: domain.ErrConfigNotFound})
	}
	gone := out
	gone.Version, gone.UpdateTime, gone.UpdatedBy = out.Version+1, at.UTC(), by
	return out, insertConfigVersion(ctx, tx, gone, true)
}

// insertConfigVersion appends c as its version, in force from c.UpdateTime.
func insertConfigVersion(ctx context.Context, tx pgx.Tx, c domain.Config, deleted bool) error {
	_, err := tx.Exec(ctx, `INSERT INTO sla.config_versions (config_id, version, effective_from, deleted, municipality,
		category, response_hours, resolution_hours, warning_threshold_pct, calendar_id, pause_statuses, changed_by, priority)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`, c.ID, c.Version, c.UpdateTime, deleted, c.Municipality,
		c.Category, c.ResponseHours, c.ResolutionHours, c.WarningPct, nullID(c.CalendarID), c.PauseStatuses, c.UpdatedBy, c.Priority)
	return wrap("store.insertConfigVersion", err)
}

// ListConfigVersions lists the versions of a policy, newest first.
func ListConfigVersions(ctx context.Context, tx pgx.Tx, id string) ([]domain.ConfigVersion, error) {
	rows, err := tx.Query(ctx, `SELECT config_id, municipality, category, response_hours, resolution_hours,
			warning_threshold_pct, calendar_id, pause_statuses, version, effective_from, effective_from, changed_by, deleted, priority
		FROM sla.config_versions WHERE config_id = $1 ORDER BY version DESC`, id)
	if err != nil {
		return nil, wrap("store.ListConfigVersions", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ConfigVersion, error) {
		var v domain.ConfigVersion
		var c domain.Config
		var cal *string
		err := r.Scan(&c.ID, &c.Municipality, &c.Category, &c.ResponseHours, &c.ResolutionHours, &c.WarningPct,
			&cal, &c.PauseStatuses, &c.Version, &c.CreateTime, &c.UpdateTime, &c.UpdatedBy, &v.Deleted, &c.Priority)
		c.CalendarID = fromNullID(cal)
		c.CreateTime, c.UpdateTime = c.CreateTime.UTC(), c.UpdateTime.UTC()
		v.Config, v.EffectiveFrom = c, c.UpdateTime
		return v, err
	})
	return out, wrap("store.ListConfigVersions", err)
}

// GetConfig returns one policy; lock takes a row lock for an update.
func GetConfig(ctx context.Context, tx pgx.Tx, id string, lock Lock) (domain.Config, error) {
	q := `SELECT ` + configColumns + ` FROM sla.configs WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	out, err := scanConfig(tx.QueryRow(ctx, q, id))
	return out, interpretError("store.GetConfig", err, outcomes{noRows: domain.ErrConfigNotFound})
}

// ListConfigs lists policies of municipality ("" for all) and, when
// includeDefaults, those with an empty municipality.
func ListConfigs(ctx context.Context, tx pgx.Tx, municipality string, includeDefaults bool) ([]domain.Config, error) {
	rows, err := tx.Query(ctx, `SELECT `+configColumns+` FROM sla.configs
		WHERE $1 = '' OR municipality = $1 OR ($2 AND municipality = '')
		ORDER BY municipality, category, priority`, municipality, includeDefaults)
	return collectConfigs("store.ListConfigs", rows, err)
}

// PolicyCandidates returns the policies the lookup order may pick for a
// (municipality, category) and a ticket priority ("" for none).
func PolicyCandidates(ctx context.Context, tx pgx.Tx, municipality, category, priority string) ([]domain.Config, error) {
	rows, err := tx.Query(ctx, `SELECT `+configColumns+` FROM sla.configs
		WHERE municipality IN ($1, '') AND category IN ($2, '') AND priority IN ($3, '')`, municipality, category, priority)
	return collectConfigs("store.PolicyCandidates", rows, err)
}

// InsertConfigChange records a change.
func InsertConfigChange(ctx context.Context, tx pgx.Tx, c domain.ConfigChange) error {
	_, err := tx.Exec(ctx, `INSERT INTO sla.config_changes (config_id, calendar_id, version, changed_by, action, clocks_recomputed)
		VALUES ($1, $2, $3, $4, $5, $6)`, nullID(c.ConfigID), nullID(c.CalendarID), c.Version, c.ChangedBy, c.Action, c.ClocksRecomputed)
	return wrap("store.InsertConfigChange", err)
}

// ListConfigChanges lists changes of configID ("" for all), newest first.
func ListConfigChanges(ctx context.Context, tx pgx.Tx, configID string) ([]domain.ConfigChange, error) {
	rows, err := tx.Query(ctx, `SELECT config_id, calendar_id, version, changed_by, action, clocks_recomputed, create_time
		FROM sla.config_changes WHERE $1::uuid IS NULL OR config_id = $1 ORDER BY id DESC LIMIT 1000`, nullID(configID))
	if err != nil {
		return nil, wrap("store.ListConfigChanges", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ConfigChange, error) {
		var c domain.ConfigChange
		var cfg, cal *string
		err := r.Scan(&cfg, &cal, &c.Version, &c.ChangedBy, &c.Action, &c.ClocksRecomputed, &c.CreateTime)
		c.ConfigID, c.CalendarID, c.CreateTime = fromNullID(cfg), fromNullID(cal), c.CreateTime.UTC()
		return c, err
	})
	return out, wrap("store.ListConfigChanges", err)
}
