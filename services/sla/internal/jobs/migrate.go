package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Migrate creates or upgrades River's tables in schema sla and grants them to
// the application role, which inserts jobs inside its transactions.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: Schema})
	if err != nil {
		return fmt.Errorf("jobs.Migrate: rivermigrate.New: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs.Migrate: migrate: %w", err)
	}
	if _, err := pool.Exec(ctx, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA sla TO trustengine_app;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA sla TO trustengine_app`); err != nil {
		return fmt.Errorf("jobs.Migrate: grant: %w", err)
	}
	return nil
}
