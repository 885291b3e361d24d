package outbox_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
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
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/libs/vocab/word"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
	"github.com/salga/trustengine/services/ticket/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// recorder stands in for routing, SLA and notify (queuetest.Peer: the
// first call of each kind fails, so retries are exercised too).
type recorder struct{ queuetest.Peer }

func (r *recorder) RouteTicket(_ context.Context, a outbox.RouteTicketArgs) error {
	return r.Deliver("route", a)
}
func (r *recorder) BatchRouteTickets(_ context.Context, _ string, as []outbox.RouteTicketArgs) error {
	for _, a := range as {
		if err := r.Deliver("route", a); err != nil {
			return err
		}
	}
	return nil
}
func (r *recorder) RecordTicketStatus(_ context.Context, a outbox.RoutingStatusArgs) error {
	return r.Deliver("status", a)
}
func (r *recorder) BatchRecordTicketStatus(_ context.Context, _ string, as []outbox.RoutingStatusArgs) error {
	for _, a := range as {
		if err := r.Deliver("status", a); err != nil {
			return err
		}
	}
	return nil
}
func (r *recorder) RecordTicketEvent(_ context.Context, a outbox.SLAEventArgs) error {
	return r.Deliver("sla", a)
}
func (r *recorder) BatchRecordTicketEvents(_ context.Context, _ string, as []outbox.SLAEventArgs) error {
	for _, a := range as {
		if err := r.Deliver("sla", a); err != nil {
			return err
		}
	}
	return nil
}

// notifyRecorder is a fake notification service that keeps the last event.
type notifyRecorder struct {
	queuetest.Peer
	mu    sync.Mutex
	event *outbox.NotifyEvent
}

func (n *notifyRecorder) BatchRecordTicketEvents(ctx context.Context, _ string, es []outbox.NotifyEvent) error {
	for _, e := range es {
		if err := n.RecordTicketEvent(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (n *notifyRecorder) RecordTicketEvent(_ context.Context, e outbox.NotifyEvent) error {
	if err := n.Deliver("notify", e); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.event = &e
	return nil
}

func (n *notifyRecorder) got() *outbox.NotifyEvent {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.event
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
	notify := &notifyRecorder{}
	keys, err := seal.ParseKeyring(seal.DevKeys, "dev")
	require.NoError(t, err)
	client, err := outbox.NewQueue(pool, slog.New(slog.NewTextHandler(io.Discard, nil)),
		outbox.Peers{Routing: peer, SLA: peer, Notify: notify, Keys: keys})
	require.NoError(t, err)
	ev := outbox.NewEnqueuer(client, keys)
	tk := domain.Ticket{ID: "6f0c2d4e-2b1a-4f35-9a59-0d1f3f7c8a11", Tenant: "CPT", Category: word.CategoryWater}
	h := domain.HistoryEntry{Sequence: 1, EventID: "0b7f0a38-9a43-4c8e-8f3c-3f0f2a1d2c55", To: word.StatusOpen, CreateTime: time.Now()}
	scope := pg.Scope{Tenant: "CPT", Subject: "c1", Roles: []string{"citizen"}}

	gbv := tk
	gbv.Category, gbv.Reporter = word.CategoryGBV, domain.Reporter{Name: "Survivor", Phone: "+27825550101"}
	notice := gbv.CreatedNotice(h, domain.ReporterPreferences{GBVSafe: "sms"})

	// A rolled-back change leaves no job behind.
	err = pg.InTx(t.Context(), pool, scope, func(tx pgx.Tx) error {
		require.NoError(t, ev.TicketCreated(t.Context(), tx, gbv, h, notice))
		return context.Canceled
	})
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, pg.InTx(t.Context(), pool, scope, func(tx pgx.Tx) error {
		if err := ev.TicketCreated(t.Context(), tx, gbv, h, notice); err != nil {
			return err
		}
		return ev.StatusChanged(t.Context(), tx, tk, domain.HistoryEntry{Sequence: 2, EventID: h.EventID, From: "open", To: "in_progress"})
	}))

	var stored int
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM ticket.river_job WHERE kind = 'ticket.notify_event'
		AND args::text NOT LIKE '%825550101%' AND args::text NOT LIKE '%Survivor%'`).Scan(&stored))
	require.Equal(t, 1, stored, "the notice's job holds the reporter's contact sealed only")

	var created string
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT args->'status'->>'status' || '@' || (args->'status'->>'sequence')
		FROM ticket.river_job WHERE kind = 'ticket.route_ticket'`).Scan(&created))
	require.Equal(t, "open@1", created, "the route carries the created state to routing: no status job of its own")

	require.NoError(t, client.Start(t.Context()))
	require.Eventually(t, func() bool { return len(peer.Seen()) == 4 && notify.got() != nil }, 30*time.Second, 50*time.Millisecond)
	require.ElementsMatch(t, []string{"route", "sla", "sla", "status"}, peer.Seen())
	got := notify.got()
	require.Equal(t, "+27825550101", got.Reporter.Phone, "the worker opens the contact for the call")
	require.Equal(t, "sms", got.Preferences.GBVSafe)
	require.Equal(t, domain.NoticeCreated, got.Event)
	require.NoError(t, client.Stop(t.Context()))
}

// slowSLA is an SLA service whose batch calls take a while, so the
// deliveries that arrive meanwhile wait for the next batch.
type slowSLA struct {
	recorder
	queuetest.SlowBatches[outbox.SLAEventArgs]
}

func (s *slowSLA) BatchRecordTicketEvents(_ context.Context, tenant string, as []outbox.SLAEventArgs) error {
	return s.Batch(tenant, as)
}

func (s *slowSLA) RecordTicketEvent(_ context.Context, a outbox.SLAEventArgs) error { return s.One(a) }

func TestSLAEventsOfATenantGoInBatches(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "ticket_outbox", func(ctx context.Context, p *pgxpool.Pool) error {
		if err := pg.Migrate(ctx, p, "ticket", migrations.FS); err != nil {
			return err
		}
		return queue.Migrate(ctx, p, outbox.Schema)
	})
	peer := &slowSLA{SlowBatches: queuetest.SlowBatches[outbox.SLAEventArgs]{
		Key: func(a outbox.SLAEventArgs) string { return a.EventID }, Tenant: func(a outbox.SLAEventArgs) string { return a.Tenant }}}
	client, err := outbox.NewQueue(pool, slog.New(slog.NewTextHandler(io.Discard, nil)), outbox.Peers{SLA: peer})
	require.NoError(t, err)
	ev := outbox.NewEnqueuer(client, nil)
	const n = 60
	require.NoError(t, pg.InTx(t.Context(), pool, pg.Scope{AllTenants: true}, func(tx pgx.Tx) error {
		for i := range n {
			tk := domain.Ticket{ID: uuid.NewString(), Tenant: []string{"CPT", "JHB"}[i%2], Category: word.CategoryWater, Status: word.StatusOpen}
			h := domain.HistoryEntry{Sequence: 2, EventID: uuid.NewString(), CreateTime: time.Now()}
			if err := ev.PriorityChanged(t.Context(), tx, tk, h); err != nil {
				return err
			}
		}
		return nil
	}))
	require.NoError(t, client.Start(t.Context()))
	require.Eventually(t, func() bool {
		var left int
		// A priority change also tells routing, whose queue this test
		// leaves unworked: only the SLA events are counted.
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT count(*) FROM ticket.river_job
			WHERE kind = 'ticket.sla_event' AND state <> 'completed'`).Scan(&left))
		return left == 0
	}, 30*time.Second, 50*time.Millisecond, "every SLA job completes")
	require.NoError(t, client.Stop(t.Context()))
	peer.RequireBatched(t, n)
}
