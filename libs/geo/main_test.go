package geo_test

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return pgtest.NewDB(t, "geo", nil)
}
