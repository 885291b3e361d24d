package queue

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
)

var (
	backlogDesc = prometheus.NewDesc("trustengine_delivery_backlog_jobs",
		"Jobs not yet delivered, by job kind and River state.", []string{"schema", "kind", "state"}, nil)
	lagDesc = prometheus.NewDesc("trustengine_delivery_lag_seconds",
		"Age of the oldest job that is due and not yet delivered (0 when none).", []string{"schema"}, nil)
)

// backlogCollector reads the backlog from the River table at scrape time,
// so every replica reports the same shared queue.
type backlogCollector struct {
	pool   *pgxpool.Pool
	schema string
}

// Describe implements prometheus.Collector.
func (c backlogCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- backlogDesc
	ch <- lagDesc
}

// Collect implements prometheus.Collector.
func (c backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	q := fmt.Sprintf(`select kind, state::text, count(*),
	       coalesce(extract(epoch from now() - min(scheduled_at) filter (where scheduled_at <= now())), 0)
	  from %s.river_job
	 where state in ('available', 'retryable', 'running', 'scheduled', 'discarded')
	 group by kind, state`, pgx.Identifier{c.schema}.Sanitize())
	rows, err := c.pool.Query(ctx, q)
	if err != nil {
		slog.Warn("queue: backlog metrics", "schema", c.schema, "err", err)
		return
	}
	defer rows.Close()
	lag := 0.0
	for rows.Next() {
		var kind, state string
		var n int64
		var age float64
		if err := rows.Scan(&kind, &state, &n, &age); err != nil {
			slog.Warn("queue: backlog metrics", "schema", c.schema, "err", err)
			return
		}
		ch <- prometheus.MustNewConstMetric(backlogDesc, prometheus.GaugeValue, float64(n), c.schema, kind, state)
		if state == "available" || state == "retryable" {
			lag = max(lag, age)
		}
	}
	if rows.Err() != nil {
		slog.Warn("queue: backlog metrics", "schema", c.schema, "err", rows.Err())
		return
	}
	ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, lag, c.schema)
}

// deliverySeconds observes how long each job took from insert to delivery.
var deliverySeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
	Name:    "trustengine_delivery_seconds",
	Help:    "Time from recording a cross-service effect to its successful delivery.",
	Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300},
}, []string{"kind"})

// deliveryFailures counts failed delivery attempts (each is retried).
var deliveryFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "trustengine_delivery_failures_total",
	Help: "Failed delivery attempts; each is retried with backoff.",
}, []string{"kind"})

// RegisterMetrics exports the backlog and lag of the River queue in schema
// and, through ObserveDeliveries, delivery times and failures.
func RegisterMetrics(reg prometheus.Registerer, pool *pgxpool.Pool, schema string) error {
	for _, c := range []prometheus.Collector{backlogCollector{pool: pool, schema: schema}, deliverySeconds, deliveryFailures} {
		if err := reg.Register(c); err != nil {
			if _, dup := err.(prometheus.AlreadyRegisteredError); !dup {
				return fmt.Errorf("queue.RegisterMetrics: %w", err)
			}
		}
	}
	return nil
}

// ObserveDeliveries records the delivery time of every job client completes
// and counts its failed attempts, until ctx ends. Call it only for a client
// that works jobs: River refuses subscriptions to an insert-only client.
func ObserveDeliveries(ctx context.Context, client *river.Client[pgx.Tx]) {
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	go func() {
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				switch ev.Kind {
				case river.EventKindJobCompleted:
					if ev.Job.FinalizedAt != nil {
						deliverySeconds.WithLabelValues(ev.Job.Kind).Observe(ev.Job.FinalizedAt.Sub(ev.Job.CreatedAt).Seconds())
					}
				case river.EventKindJobFailed:
					deliveryFailures.WithLabelValues(ev.Job.Kind).Inc()
				}
			}
		}
	}()
}
