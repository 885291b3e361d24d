package outbox_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/outbox"
	"github.com/salga/trustengine/services/routing/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// recorder stands in for the ticket service: it remembers what it was
// asked and fails the first call of each kind, so retries are exercised.
type recorder struct {
	mu          sync.Mutex
	failed      map[string]bool
	assignments []outbox.RecordAssignmentArgs
	accesses    []outbox.RecordGBVAccessArgs
}

func (r *recorder) fail(kind string) bool {
	if r.failed[kind] {
		return false
	}
	r.failed[kind] = true
	return true
}

func (r *recorder) RecordAssignment(_ context.Context, a outbox.RecordAssignmentArgs) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail("assignment") {
		return context.DeadlineExceeded
	}
	r.assignments = append(r.assignments, a)
	return nil
}

func (r *recorder) RecordGBVAccess(_ context.Context, a outbox.RecordGBVAccessArgs) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail("access") {
		return context.DeadlineExceeded
	}
	r.accesses = append(r.accesses, a)
	return nil
}

func (r *recorder) seen() (int, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.assignments), len(r.accesses)
}

func TestWorkersDeliverCommittedJobs(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "routing_outbox", func(ctx context.Context, p *pgxpool.Pool) error {
		if err := pg.Prepare(ctx, p, "routing", migrations.FS); err != nil {
			return err
		}
		return queue.Migrate(ctx, p, outbox.Schema)
	})
	peer := &recorder{failed: map[string]bool{}}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	client, err := outbox.NewQueue(pool, quiet, outbox.Peers{Ticket: peer})
	require.NoError(t, err)
	ev := outbox.NewEnqueuer(client)
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	escalation := domain.Assignment{ID: "a1", Tenant: "CPT", TicketID: "t1", TeamID: "team", TeamName: "Water",
		PersonID: "p", Reason: domain.ReasonSLABreach, EscalationLevel: 2, CreatedAt: at}
	read := domain.Disclosure{Tenant: "CPT", TicketIDs: []string{"t1", "t2"}, Subject: "liaison",
		Roles: []string{"saps_liaison"}, Action: domain.ActionListTeamQueue, EventID: "e1", Time: at}
	scope := pg.Scope{Tenant: "CPT", Subject: "ticket", Roles: []string{"service"}}

	// A rolled-back change leaves no job behind.
	err = pg.InTx(t.Context(), pool, scope, func(tx pgx.Tx) error {
		require.NoError(t, ev.AssignmentChanged(t.Context(), tx, escalation))
		return context.Canceled
	})
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, pg.InTx(t.Context(), pool, scope, func(tx pgx.Tx) error {
		if err := ev.AssignmentChanged(t.Context(), tx, escalation); err != nil {
			return err
		}
		return ev.GBVDisclosed(t.Context(), tx, read)
	}))
	// A job an older version put in River's default queue is delivered too.
	legacy := escalation
	legacy.ID = "a0"
	require.NoError(t, pg.InTx(t.Context(), pool, scope, func(tx pgx.Tx) error {
		return ev.AssignmentChanged(t.Context(), tx, legacy)
	}))
	_, err = pool.Exec(t.Context(), `UPDATE routing.river_job SET queue = 'default' WHERE args->>'assignment_id' = 'a0'`)
	require.NoError(t, err)

	require.NoError(t, client.Start(t.Context()))
	require.Eventually(t, func() bool { a, g := peer.seen(); return a == 2 && g == 1 }, 30*time.Second, 50*time.Millisecond)
	require.NoError(t, client.Stop(t.Context()))
	peer.mu.Lock()
	defer peer.mu.Unlock()
	got := map[string]outbox.RecordAssignmentArgs{}
	for _, a := range peer.assignments {
		got[a.AssignmentID] = a
	}
	require.Equal(t, outbox.RecordAssignmentArgs{Tenant: "CPT", TicketID: "t1", AssignmentID: "a1", TeamID: "team", TeamName: "Water",
		PersonID: "p", Reason: "sla_breach", EscalationLevel: 2, AssignTime: at}, got["a1"])
	require.Contains(t, got, "a0", "the default queue's job")
	require.Equal(t, []outbox.RecordGBVAccessArgs{{Tenant: "CPT", TicketIDs: []string{"t1", "t2"}, Subject: "liaison",
		Roles: []string{"saps_liaison"}, Action: "routing.ListTeamQueue", EventID: "e1", Time: at}}, peer.accesses)
}
