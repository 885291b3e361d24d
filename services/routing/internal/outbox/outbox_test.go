package outbox_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/queue/queuetest"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/routing/internal/domain"
	"github.com/salga/trustengine/services/routing/internal/outbox"
	"github.com/salga/trustengine/services/routing/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// recorder stands in for the ticket service (queuetest.Peer: the first
// call of each kind fails, so retries are exercised too).
type recorder struct{ queuetest.Peer }

func (r *recorder) RecordAssignment(_ context.Context, a outbox.RecordAssignmentArgs) error {
	return r.Deliver("assignment", a)
}

func (r *recorder) BatchRecordAssignments(_ context.Context, _ string, as []outbox.RecordAssignmentArgs) error {
	for _, a := range as {
		if err := r.Deliver("assignment", a); err != nil {
			return err
		}
	}
	return nil
}

func (r *recorder) RecordGBVAccess(_ context.Context, a outbox.RecordGBVAccessArgs) error {
	return r.Deliver("access", a)
}

// delivered returns the assignments and access-log entries delivered.
func (r *recorder) delivered() ([]outbox.RecordAssignmentArgs, []outbox.RecordGBVAccessArgs) {
	var as []outbox.RecordAssignmentArgs
	var gs []outbox.RecordGBVAccessArgs
	for _, d := range r.Deliveries() {
		switch a := d.Args.(type) {
		case outbox.RecordAssignmentArgs:
			as = append(as, a)
		case outbox.RecordGBVAccessArgs:
			gs = append(gs, a)
		}
	}
	return as, gs
}

func TestWorkersDeliverCommittedJobs(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "routing_outbox", setup)
	peer := &recorder{}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	client, err := outbox.NewQueue(pool, quiet, outbox.Peers{Ticket: peer})
	require.NoError(t, err)
	ev := outbox.NewEnqueuer(client)
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	escalation := domain.Assignment{ID: "a1", Tenant: "CPT", TicketID: "t1", TeamID: "team", TeamName: "Water",
		PersonID: "p", Reason: word.ReasonSLABreach, EscalationLevel: 2, CreatedAt: at}
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
	require.Eventually(t, func() bool { a, g := peer.delivered(); return len(a) == 2 && len(g) == 1 }, 30*time.Second, 50*time.Millisecond)
	require.NoError(t, client.Stop(t.Context()))
	assignments, accesses := peer.delivered()
	got := map[string]outbox.RecordAssignmentArgs{}
	for _, a := range assignments {
		got[a.AssignmentID] = a
	}
	require.Equal(t, outbox.RecordAssignmentArgs{Tenant: "CPT", TicketID: "t1", AssignmentID: "a1", TeamID: "team", TeamName: "Water",
		PersonID: "p", Reason: "sla_breach", EscalationLevel: 2, AssignTime: at}, got["a1"])
	require.Contains(t, got, "a0", "the default queue's job")
	require.Equal(t, []outbox.RecordGBVAccessArgs{{Tenant: "CPT", TicketIDs: []string{"t1", "t2"}, Subject: "liaison",
		Roles: []string{"saps_liaison"}, Action: "routing.ListTeamQueue", EventID: "e1", Time: at}}, accesses)
}

func setup(ctx context.Context, p *pgxpool.Pool) error {
	if err := pg.Prepare(ctx, p, "routing", migrations.FS); err != nil {
		return err
	}
	return queue.Migrate(ctx, p, outbox.Schema)
}

// slowTicket is a ticket service whose batch calls take a while, so the
// deliveries that arrive meanwhile wait for the next batch.
type slowTicket struct {
	recorder
	queuetest.SlowBatches[outbox.RecordAssignmentArgs]
}

func (s *slowTicket) BatchRecordAssignments(_ context.Context, tenant string, as []outbox.RecordAssignmentArgs) error {
	return s.Batch(tenant, as)
}

func (s *slowTicket) RecordAssignment(_ context.Context, a outbox.RecordAssignmentArgs) error {
	return s.One(a)
}

func TestAssignmentsOfATenantGoInBatches(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "routing_outbox", setup)
	peer := &slowTicket{SlowBatches: queuetest.SlowBatches[outbox.RecordAssignmentArgs]{
		Key: func(a outbox.RecordAssignmentArgs) string { return a.AssignmentID }, Tenant: func(a outbox.RecordAssignmentArgs) string { return a.Tenant }}}
	client, err := outbox.NewQueue(pool, slog.New(slog.NewTextHandler(io.Discard, nil)), outbox.Peers{Ticket: peer})
	require.NoError(t, err)
	ev := outbox.NewEnqueuer(client)
	const n = 60
	require.NoError(t, pg.InTx(t.Context(), pool, pg.Scope{AllTenants: true}, func(tx pgx.Tx) error {
		for i := range n {
			a := domain.Assignment{ID: uuid.NewString(), Tenant: []string{"CPT", "JHB"}[i%2], TicketID: uuid.NewString(), TeamID: "team",
				TeamName: "Water", Reason: word.ReasonGeospatial, CreatedAt: time.Now()}
			if err := ev.AssignmentChanged(t.Context(), tx, a); err != nil {
				return err
			}
		}
		return nil
	}))
	require.NoError(t, client.Start(t.Context()))
	require.Eventually(t, func() bool {
		var left int
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM routing.river_job WHERE state <> 'completed'`).Scan(&left))
		return left == 0
	}, 30*time.Second, 50*time.Millisecond, "every job completes")
	require.NoError(t, client.Stop(t.Context()))
	peer.RequireBatched(t, n)
}
