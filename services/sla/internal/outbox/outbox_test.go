package jobs_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/services/sla/internal/jobs"
	"github.com/salga/trustengine/services/sla/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func setup(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Migrate(ctx, pool, "sla", migrations.FS); err != nil {
		return err
	}
	return jobs.Migrate(ctx, pool)
}

// everyJob is one value of each job kind of the service; the test below
// checks against the source that none is missing.
var everyJob = []river.JobArgs{
	jobs.EscalateArgs{Tenant: "CPT", TicketID: "t", Level: 1},
	jobs.RecordDeadlinesArgs{Tenant: "CPT", TicketID: "t", Revision: 1},
	jobs.RecordClockEventArgs{Tenant: "CPT", TicketID: "t", EventID: "e", EventKind: "warning", ClockKind: "response", Cycle: 1},
}

// jobKindTypes parses the package's source and returns every type that has
// a Kind method: the job kinds, whether or not anyone listed them.
func jobKindTypes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		file, err := parser.ParseFile(fset, f, src, 0)
		require.NoError(t, err)
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Kind" {
				continue
			}
			if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
				out = append(out, id.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestEveryJobKindRetriesForDaysUnderTheQueuePolicy(t *testing.T) {
	t.Parallel()
	var listed []string
	for _, a := range everyJob {
		listed = append(listed, strings.TrimPrefix(reflectName(a), "jobs."))
	}
	slices.Sort(listed)
	require.Equal(t, jobKindTypes(t), listed, "every job kind of the service is checked here")

	pool := pgtest.NewDB(t, "slajobs", setup)
	rc, err := jobs.NewClient(pool, nil, nil, 1)
	require.NoError(t, err)
	ctx := context.Background()
	for _, a := range everyJob {
		t.Run(a.Kind()+" keeps retrying as long as libs/queue says", func(t *testing.T) {
			if o, ok := a.(river.JobArgsWithInsertOpts); ok {
				require.Zero(t, o.InsertOpts().MaxAttempts, "no job kind sets its own MaxAttempts")
			}
			var attempts int
			require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				res, err := rc.InsertTx(ctx, tx, a, nil)
				if err != nil {
					return err
				}
				attempts = res.Job.MaxAttempts
				return nil
			}))
			require.GreaterOrEqual(t, attempts, queue.MaxAttempts)
		})
	}
}

func reflectName(a river.JobArgs) string { return fmt.Sprintf("%T", a) }
