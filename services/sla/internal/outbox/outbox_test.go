package outbox_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/queue/queuetest"
	"github.com/salga/trustengine/services/sla/internal/domain"
	"github.com/salga/trustengine/services/sla/internal/outbox"
	"github.com/salga/trustengine/services/sla/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func setup(ctx context.Context, pool *pgxpool.Pool) error {
	if err := pg.Migrate(ctx, pool, "sla", migrations.FS); err != nil {
		return err
	}
	return queue.Migrate(ctx, pool, outbox.Schema)
}

var (
	discard = slog.New(slog.NewTextHandler(io.Discard, nil))
	// scope is a job's transaction: RLS applies to the service's tables,
	// not to River's.
	scope = pg.Scope{Tenant: "CPT", Subject: "sla", Roles: []string{"service"}}
)

// everyJob is one value of each job kind of the service; the test below
// checks against the source that none is missing.
var everyJob = []river.JobArgs{
	outbox.EscalateArgs{Tenant: "CPT", TicketID: "t", Level: 1},
	outbox.RecordDeadlinesArgs{Tenant: "CPT", TicketID: "t", Revision: 1},
	outbox.RecordClockEventArgs{Tenant: "CPT", TicketID: "t", EventID: "e", EventKind: "warning", ClockKind: "response", Cycle: 1},
	outbox.ProduceReportsArgs{},
	outbox.SendReportArgs{Tenant: "CPT", ExportID: "e", Recipients: []string{"cfo@example.org"}},
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
		listed = append(listed, reflect.TypeOf(a).Name())
	}
	slices.Sort(listed)
	require.Equal(t, jobKindTypes(t), listed, "every job kind of the service is checked here")
	pool := pgtest.NewDB(t, "slajobs", setup)
	jobs, err := outbox.NewQueue(pool, discard, outbox.Peers{})
	require.NoError(t, err)
	ctx := context.Background()
	for _, a := range everyJob {
		t.Run(a.Kind()+" keeps retrying as long as libs/queue says", func(t *testing.T) {
			if o, ok := a.(river.JobArgsWithInsertOpts); ok {
				require.Zero(t, o.InsertOpts().MaxAttempts, "no job kind sets its own MaxAttempts")
			}
			require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error { return jobs.InsertTx(ctx, tx, a) }))
			var attempts int
			require.NoError(t, pool.QueryRow(ctx, `SELECT max(max_attempts) FROM sla.river_job WHERE kind = $1`, a.Kind()).Scan(&attempts))
			require.GreaterOrEqual(t, attempts, queue.MaxAttempts)
		})
	}
}

func TestAnEscalationLevelIsOneJobHoweverOftenItIsRecorded(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "slajobs", setup)
	jobs, err := outbox.NewQueue(pool, discard, outbox.Peers{})
	require.NoError(t, err)
	e := outbox.NewEnqueuer(jobs)
	ctx := context.Background()
	breach := domain.ClockEvent{Tenant: "CPT", TicketID: "6f0c2d4e-2b1a-4f35-9a59-0d1f3f7c8a11", ClockKind: domain.ClockResponse,
		Cycle: 1, Kind: domain.EventBreach, Level: 1, EscalationLevel: 1}
	for range 2 {
		require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error { return e.Escalation(ctx, tx, breach) }))
	}
	var n int
	var note string
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*), max(args->>'note') FROM sla.river_job WHERE kind = 'sla.escalate'`).Scan(&n, &note))
	require.Equal(t, 1, n, "River's unique key on (tenant, ticket, level) backs the clock_events key")
	require.Equal(t, "response clock (cycle 1) breached, step 1", note)
}

// recorder stands in for routing and the ticket service (queuetest.Peer:
// the first call of each kind fails, so retries are exercised too).
type recorder struct{ queuetest.Peer }

func (r *recorder) EscalateTicket(_ context.Context, a outbox.EscalateArgs) error {
	return r.Deliver("escalate", a)
}
func (r *recorder) RecordDeadlines(_ context.Context, a outbox.RecordDeadlinesArgs) error {
	return r.Deliver("deadlines", a)
}
func (r *recorder) BatchRecordDeadlines(_ context.Context, _ string, as []outbox.RecordDeadlinesArgs) error {
	for _, a := range as {
		if err := r.Deliver("deadlines", a); err != nil {
			return err
		}
	}
	return nil
}
func (r *recorder) RecordClockEvent(_ context.Context, a outbox.RecordClockEventArgs) error {
	return r.Deliver("event", a)
}
func (r *recorder) SendReportExport(_ context.Context, a outbox.SendReportArgs) error {
	return r.Deliver("report", a)
}

func TestWorkersDeliverCommittedJobs(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "slajobs", setup)
	peer := &recorder{}
	jobs, err := outbox.NewQueue(pool, discard, outbox.Peers{Routing: peer, Ticket: peer, Notify: peer})
	require.NoError(t, err)
	e := outbox.NewEnqueuer(jobs)
	ctx := context.Background()
	id := "6f0c2d4e-2b1a-4f35-9a59-0d1f3f7c8a11"
	breach := domain.ClockEvent{Tenant: "CPT", TicketID: id, ClockKind: domain.ClockResponse, Cycle: 1, Kind: domain.EventBreach,
		Level: 1, EscalationLevel: 1, EventID: "0b7f0a38-9a43-4c8e-8f3c-3f0f2a1d2c55", Deadline: time.Now()}
	record := func(tx pgx.Tx) error {
		if err := e.Deadlines(ctx, tx, domain.DeadlineMirror{Tenant: "CPT", TicketID: id, Revision: 1, Response: time.Now()}); err != nil {
			return err
		}
		if err := e.Escalation(ctx, tx, breach); err != nil {
			return err
		}
		return e.ClockEvents(ctx, tx, breach)
	}
	err = pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error {
		require.NoError(t, record(tx))
		return context.Canceled
	})
	require.ErrorIs(t, err, context.Canceled, "a rolled-back change leaves no job behind")
	require.NoError(t, pg.InTx(ctx, pool, scope, record))

	mail := domain.ReportMail{Tenant: "CPT", ExportID: "9a4e6c1d-5b7f-4e2a-8c3d-1f0e2d3c4b5a", Recipients: []string{"cfo@example.org"},
		Subject: "CPT SLA compliance report 2026-10", Body: "attached", FileName: "CPT-compliance-2026-10.csv", ContentType: "text/csv",
		Content: []byte("group,met\nwater,3\n")}
	for range 2 { // recorded twice (a production retried): one job
		require.NoError(t, pg.InTx(ctx, pool, scope, func(tx pgx.Tx) error { return e.ReportMail(ctx, tx, mail) }))
	}
	require.NoError(t, jobs.Start(ctx))
	require.Eventually(t, func() bool { return len(peer.Seen()) == 4 }, 30*time.Second, 50*time.Millisecond)
	require.ElementsMatch(t, []string{"deadlines", "escalate", "event", "report"}, peer.Seen())
	for _, d := range peer.Deliveries() {
		if d.Kind == "report" {
			require.Equal(t, outbox.SendReportArgs{Tenant: "CPT", ExportID: mail.ExportID, Recipients: mail.Recipients, Subject: mail.Subject,
				Body: mail.Body, FileName: mail.FileName, ContentType: mail.ContentType, Content: mail.Content}, d.Args, "the file travels in the job")
		}
	}
	require.NoError(t, jobs.Stop(ctx))
}

func TestThePeriodicJobProducesTheDueReportsOnStart(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "slajobs", setup)
	calls := make(chan struct{}, 10)
	jobs, err := outbox.NewQueue(pool, discard, outbox.Peers{Reports: func(context.Context) (int, error) {
		calls <- struct{}{}
		return 0, nil
	}})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, jobs.Start(ctx))
	select {
	case <-calls:
	case <-time.After(30 * time.Second):
		t.Fatal("the periodic job did not run on start")
	}
	require.NoError(t, jobs.Stop(ctx))
}

// slowTicket is a ticket service whose batch calls take a while, so the
// deliveries that arrive meanwhile wait for the next batch.
type slowTicket struct {
	recorder
	queuetest.SlowBatches[outbox.RecordDeadlinesArgs]
}

func (s *slowTicket) BatchRecordDeadlines(_ context.Context, tenant string, as []outbox.RecordDeadlinesArgs) error {
	return s.Batch(tenant, as)
}

func (s *slowTicket) RecordDeadlines(_ context.Context, a outbox.RecordDeadlinesArgs) error {
	return s.One(a)
}

func TestDeadlinesOfATenantGoInBatches(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "slajobs", setup)
	peer := &slowTicket{SlowBatches: queuetest.SlowBatches[outbox.RecordDeadlinesArgs]{
		Key: func(a outbox.RecordDeadlinesArgs) string { return a.TicketID }, Tenant: func(a outbox.RecordDeadlinesArgs) string { return a.Tenant }}}
	jobs, err := outbox.NewQueue(pool, discard, outbox.Peers{Ticket: peer})
	require.NoError(t, err)
	e := outbox.NewEnqueuer(jobs)
	ctx := context.Background()
	const n = 60
	require.NoError(t, pg.InTx(ctx, pool, pg.Scope{AllTenants: true}, func(tx pgx.Tx) error {
		for i := range n {
			tenant := []string{"CPT", "JHB"}[i%2]
			m := domain.DeadlineMirror{Tenant: tenant, TicketID: uuid.NewString(), Revision: 1, Response: time.Now()}
			if err := e.Deadlines(ctx, tx, m); err != nil {
				return err
			}
		}
		return nil
	}))
	require.NoError(t, jobs.Start(ctx))
	require.Eventually(t, func() bool {
		var left int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM sla.river_job WHERE state <> 'completed'`).Scan(&left))
		return left == 0
	}, 30*time.Second, 50*time.Millisecond, "every job completes")
	require.NoError(t, jobs.Stop(ctx))
	peer.RequireBatched(t, n)
}
