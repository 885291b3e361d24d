package pg_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
)

func TestADatabaseThatCannotBeReachedIsUnavailableNotAFault(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	away, err := pgxpool.New(ctx, "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	require.NoError(t, err)
	t.Cleanup(away.Close)

	tests := []struct {
		name string
		run  func() error
		want bool
	}{
		{"a database nobody listens for", func() error {
			return pg.InTx(ctx, away, pg.Scope{AllTenants: true}, func(pgx.Tx) error { return nil })
		}, true},
		{"a connection the server ends under a transaction", func() error {
			return pg.InTx(ctx, db, pg.Scope{AllTenants: true}, func(tx pgx.Tx) error {
				var pid int
				if err := tx.QueryRow(ctx, `select pg_backend_pid()`).Scan(&pid); err != nil {
					return err
				}
				if _, err := db.Exec(ctx, `select pg_terminate_backend($1)`, pid); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `select 1`)
				return err
			})
		}, true},
		{"a statement the database refuses", func() error {
			return pg.InTx(ctx, db, pg.Scope{AllTenants: true}, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `select * from no_such_table`)
				return err
			})
		}, false},
		{"a request whose caller gave up", func() error {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			return pg.InTx(cctx, db, pg.Scope{AllTenants: true}, func(pgx.Tx) error { return nil })
		}, false},
	}
	for _, tt := range tests {
		err := tt.run()
		require.Error(t, err, tt.name)
		require.Equal(t, tt.want, pg.IsUnavailable(err), "%s: %v", tt.name, err)
		var ue *pg.UnavailableError
		require.Equal(t, tt.want, errors.As(err, &ue), tt.name)
	}
}
