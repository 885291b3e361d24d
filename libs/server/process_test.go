package server_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/server"
)

// common are a service's settings on free ports against database url.
func common(url string) config.Common {
	return config.Common{GRPCAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0", DatabaseURL: url, ShutdownTimeout: 5 * time.Second,
		LogLevel: "error", Auth: config.Auth{JWTSecret: "process-test-user-secret", ServiceJWTSecret: "process-test-service-secret"}}
}

func TestAProcessServesOnItsPreparedDatabaseAndIsReadyWhileItAnswers(t *testing.T) {
	t.Parallel()
	url, db := pgtest.NewDBURL(t, "server_process", func(context.Context, *pgxpool.Pool) error { return nil })
	prepared := func(ctx context.Context, pool *pgxpool.Pool) error {
		_, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS prepared (id int)`)
		return err
	}
	p, err := server.Open(t.Context(), "test", common(url), prepared)
	require.NoError(t, err)
	var n int
	require.NoError(t, db.QueryRow(t.Context(), `SELECT count(*) FROM pg_tables WHERE tablename = 'prepared'`).Scan(&n))
	require.Equal(t, 1, n, "the database is prepared before anything is served")

	srv := p.Server(server.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, srv.Listen(ctx))
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	readyz := "http://" + srv.AdminAddr().String() + "/readyz"
	require.Eventually(t, func() bool { return get(t, readyz) == http.StatusOK }, 5*time.Second, 10*time.Millisecond,
		"ready while the database answers")
	p.Close()
	require.Equal(t, http.StatusServiceUnavailable, get(t, readyz), "unready once the database does not")
	cancel()
	require.NoError(t, <-done)
}

func TestAProcessThatCannotPrepareOrVerifyDoesNotOpen(t *testing.T) {
	t.Parallel()
	url, _ := pgtest.NewDBURL(t, "server_process_fail", func(context.Context, *pgxpool.Pool) error { return nil })
	broken := errors.New("migration 00042 failed")
	_, err := server.Open(t.Context(), "test", common(url), func(context.Context, *pgxpool.Pool) error { return broken })
	require.ErrorIs(t, err, broken)

	c := common(url)
	c.JWTPublicKeyFile = "/nonexistent/key.pem"
	ran := false
	_, err = server.Open(t.Context(), "test", c, func(context.Context, *pgxpool.Pool) error { ran = true; return nil })
	require.ErrorContains(t, err, "key.pem")
	require.False(t, ran, "keys are checked before the database is touched")
}

func TestASealingProcessBuildsItsKeyRingBeforeItsDatabase(t *testing.T) {
	t.Parallel()
	url, _ := pgtest.NewDBURL(t, "server_process_sealed", func(context.Context, *pgxpool.Pool) error { return nil })
	var got *seal.Keyring
	sealing := func(keys *seal.Keyring) server.Prepare {
		got = keys
		return func(context.Context, *pgxpool.Pool) error { return nil }
	}
	c := common(url)
	c.DevMode = true
	p, keys, err := server.OpenSealed(t.Context(), "test", c, config.GBV{GBVActiveKeyID: "dev"}, sealing)
	require.NoError(t, err)
	defer p.Close()
	require.Same(t, keys, got, "the preparation seals with the process's key ring")
	require.True(t, keys.HoldsDevKey(), "development mode defaults to the development ring")

	c.DevMode = false
	got = nil
	_, _, err = server.OpenSealed(t.Context(), "test", c, config.GBV{GBVActiveKeyID: "dev"}, sealing)
	require.ErrorContains(t, err, "GBV_KEYS is empty")
	require.Nil(t, got, "nothing is prepared without a key ring")
}
