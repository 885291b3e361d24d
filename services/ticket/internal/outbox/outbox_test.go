package outbox_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/queue/queuetest"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
	"github.com/salga/trustengine/services/ticket/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// recorder stands in for routing and SLA (queuetest.Peer: the first call
// of each kind fails, so retries are exercised too).
type recorder struct{ queuetest.Peer }

func (r *recorder) RouteTicket(_ context.Context, a outbox.RouteTicketArgs) error {
	return r.Deliver("route", a)
}
func (r *recorder) RecordTicketStatus(_ context.Context, a outbox.RoutingStatusArgs) error {
	return r.Deliver("status", a)
}
func (r *recorder) RecordTicketEvent(_ context.Context, a outbox.SLAEventArgs) error {
	return r.Deliver("sla", a)
}

func TestWorkersDeliverCommittedJobs(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "ticket_outbox", func(ctx context.Context, p *pgxpool.Pool) error {
		if err := pg.Migrate(ctx, p, "ticket", migrations.FS); err != nil {
			return err
		}
		return queue.Migrate(ctx, p, outbox.Schema)
	})
	peer := &recorder{}
	client, err := outbox.NewQueue(pool, slog.New(slog.NewTextHandler(io.Discard, nil)), outbox.Peers{Routing: peer, SLA: peer})
	require.NoError(t, err)
	ev := outbox.NewEnqueuer(client)
	tk := domain.Ticket{ID: "6f0c2d4e-2b1a-4f35-9a59-0d1f3f7c8a11", Tenant: "CPT", Category: word.CategoryWater}
	h := domain.HistoryEntry{Sequence: 1, EventID: "0b7f0a38-9a43-4c8e-8f3c-3f0f2a1d2c55", To: word.StatusOpen, CreateTime: time.Now()}
	scope := pg.Scope{Tenant: "CPT", Subject: "c1", Roles: []string{"citizen"}}

	// A rolled-back change leaves no job behind.
	err = pg.InTx(t.Context(), pool, scope, func(tx pgx.Tx) error {
		require.NoError(t, ev.TicketCreated(t.Context(), tx, tk, h))
		return context.Canceled
	})
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, pg.InTx(t.Context(), pool, scope, func(tx pgx.Tx) error {
		if err := ev.TicketCreated(t.Context(), tx, tk, h); err != nil {
			return err
		}
		return ev.StatusChanged(t.Context(), tx, tk, domain.HistoryEntry{Sequence: 2, EventID: h.EventID, From: "open", To: "in_progress"})
	}))

	require.NoError(t, client.Start(t.Context()))
	require.Eventually(t, func() bool { return len(peer.Seen()) == 4 }, 30*time.Second, 50*time.Millisecond)
	require.ElementsMatch(t, []string{"route", "sla", "sla", "status"}, peer.Seen())
	require.NoError(t, client.Stop(t.Context()))
}
