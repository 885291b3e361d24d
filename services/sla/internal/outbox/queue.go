package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/queue"
)

// Migrate creates or upgrades River's tables in schema sla and grants them to
// the application role, which inserts jobs inside its transactions.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	if err := queue.Migrate(ctx, pool, Schema); err != nil {
		return fmt.Errorf("jobs.Migrate: %w", err)
	}
	return nil
}
