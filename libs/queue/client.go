package queue

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/salga/trustengine/libs/pg"
)

// Worker registers the worker of one job kind on a client (see Work).
type Worker func(*river.Workers)

// Work is the Worker of w, for Queue.Workers.
func Work[T river.JobArgs](w river.Worker[T]) Worker {
	return func(ws *river.Workers) { river.AddWorker(ws, w) }
}

// Queue is one queue a process works and the workers of its job kinds. A
// service gives each peer its own queue and lists it only when the peer's
// address is set, so work for an absent peer waits in the table instead of
// failing.
type Queue struct {
	// Name is the queue's name (a job's river.InsertOpts.Queue).
	Name string
	// Workers are the workers of the queue's job kinds.
	Workers []Worker
	// MaxWorkers is how many of its jobs run at once in one process; 0
	// means the package's MaxWorkers. A queue whose workers deliver
	// through a Batcher sets more: its waiting jobs make the next batch.
	MaxWorkers int
	// Unhurried marks a queue whose jobs may wait a few seconds when a
	// wake-up is lost (report production, report mail, older versions'
	// leftovers): while it is empty it looks for jobs every
	// SlowPollInterval instead of every FetchPollInterval.
	Unhurried bool
}

// Options configure a service's client.
type Options struct {
	// Pool is the service's database.
	Pool *pgxpool.Pool
	// Schema is the service's own schema, where Migrate put River's tables.
	Schema string
	// Logger receives River's logs; nil means slog.Default().
	Logger *slog.Logger
	// Queues are the queues this process works; with none the client only
	// inserts jobs.
	Queues []Queue
	// Periodic are jobs River inserts on a schedule (the elected leader
	// of the processes sharing the schema inserts each once); their kinds'
	// workers must be in Queues.
	Periodic []*river.PeriodicJob
	// Replica names this process among its service's replicas, the same
	// across its restarts (server.Process.Replica: its host and gRPC
	// port). A client with queues and a replica takes back, when it
	// starts, the deliveries its previous run left running (it was
	// killed, or crashed), so they run again at once instead of after
	// RescueAfter. Empty: only the rescue brings them back.
	Replica string
}

// Client is a service's job queue: use cases insert jobs with InsertTx in
// the transaction of the change that causes them, and, when the client has
// queues, its workers deliver them. libs/server runs it (server.Options.Queue):
// Start after the server listens, Stop after in-flight RPCs finish. Every
// job retries under the suite's policy (Configure); a job may not set its
// own MaxAttempts.
type Client struct {
	river   *river.Client[pgx.Tx]
	pool    *pgxpool.Pool
	schema  string
	works   bool
	replica string
	log     *slog.Logger
	waker   *waker

	mu      sync.Mutex
	started bool
	observe context.CancelFunc
}

// New builds the client of o.
func New(o Options) (*Client, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	// A process inserts jobs for every peer but works only the queues of
	// the peers it knows, so kinds without a worker here are expected.
	cfg := &river.Config{Schema: o.Schema, Logger: o.Logger, SkipUnknownJobCheck: true,
		Middleware: []rivertype.Middleware{&traceJobs{}}}
	if len(o.Queues) > 0 {
		cfg.Workers = river.NewWorkers()
		cfg.Queues = map[string]river.QueueConfig{}
		for _, q := range o.Queues {
			for _, w := range q.Workers {
				w(cfg.Workers)
			}
			qc := river.QueueConfig{MaxWorkers: MaxWorkers}
			if q.MaxWorkers > 0 {
				qc.MaxWorkers = q.MaxWorkers
			}
			if q.Unhurried {
				qc.FetchPollInterval = SlowPollInterval
			}
			cfg.Queues[q.Name] = qc
		}
		cfg.PeriodicJobs = o.Periodic
		if o.Replica != "" {
			cfg.ID = clientID(o.Replica, time.Now())
		}
	}
	rc, err := river.NewClient(quietDriver{riverpgxv5.New(o.Pool)}, Configure(cfg))
	if err != nil {
		return nil, fmt.Errorf("queue.New: river.NewClient: %w", err)
	}
	return &Client{river: rc, pool: o.Pool, schema: o.Schema, works: len(o.Queues) > 0, replica: o.Replica, log: o.Logger,
		waker: newWaker(o.Pool, o.Schema, o.Logger)}, nil
}

// maxReplica bounds the replica part of a River client ID, which River
// caps at 100 characters.
const maxReplica = 80

// clientID is the River client ID of a run of replica started at
// start: the replica's name, then "@" and the start time, so that each
// run's ID is its own (River requires it) and the runs of one replica
// are known by their prefix.
func clientID(replica string, start time.Time) string {
	return replicaPrefix(replica) + strconv.FormatInt(start.UnixNano(), 36)
}

// replicaPrefix is what every River client ID of replica begins with.
func replicaPrefix(replica string) string {
	if len(replica) > maxReplica {
		replica = replica[:maxReplica]
	}
	return replica + "@"
}

// quietDriver is River's pgx driver without the NOTIFY River sends in the
// transaction that inserts jobs (at most once per queue per FetchCooldown,
// which with the suite's 10 ms is nearly every insert). At commit a
// notifying transaction takes one lock per database, held through its
// commit flush, so every create, routing and clocking transaction of every
// service queued on it behind the others' disk flushes. InsertTx sends the
// same notification after the commit instead (waker), and workers poll
// every FetchPollInterval for what a lost one would leave waiting.
type quietDriver struct{ *riverpgxv5.Driver }

// SupportsListenNotify implements riverdriver.Driver: River sends no
// notifications, its clients still listen (and get none).
func (quietDriver) SupportsListenNotify() bool { return false }

// errOwnAttempts refuses jobs that would escape the retry policy.
var errOwnAttempts = errors.New("a job may not set its own MaxAttempts: the queue's retry policy governs every job")

// InsertTx records jobs in tx, so they exist exactly when tx commits; in a
// transaction of pg.InTx they are inserted right before the commit, with
// every other job it records.
func (c *Client) InsertTx(ctx context.Context, tx pgx.Tx, jobs ...river.JobArgs) error {
	if len(jobs) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, 0, len(jobs))
	queues := make([]string, 0, len(jobs)) // the waker keeps each once
	for _, j := range jobs {
		var opts river.InsertOpts
		if o, ok := j.(river.JobArgsWithInsertOpts); ok {
			opts = o.InsertOpts()
		}
		if opts.MaxAttempts != 0 {
			return fmt.Errorf("queue.InsertTx: %s: %w", j.Kind(), errOwnAttempts)
		}
		params = append(params, river.InsertManyParams{Args: j})
		queues = append(queues, cmp.Or(opts.Queue, river.QueueDefault))
	}
	// In a transaction of pg.InTx the jobs of every InsertTx go out
	// together, in one insert right before the commit: a consumer that
	// records jobs for each item of a batch pays one round trip for them,
	// not one per item. They exist exactly when the transaction commits
	// either way.
	if pending, ok := pg.Deferred(tx, c, c.flush); ok {
		pending.params = append(pending.params, params...)
		pg.AfterCommit(tx, func() { c.waker.wake(queues) })
		return nil
	}
	// Elsewhere (a savepoint, a transaction begun outside pg.InTx) they go
	// in at once, and the workers' poll finds them.
	if _, err := c.river.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("queue.InsertTx: %w", err)
	}
	return nil
}

// pendingJobs are the jobs a transaction of pg.InTx has recorded so far.
type pendingJobs struct{ params []river.InsertManyParams }

// flush inserts the jobs of a transaction, right before its commit.
func (c *Client) flush(ctx context.Context, tx pgx.Tx, p *pendingJobs) error {
	if _, err := c.river.InsertManyTx(ctx, tx, p.params); err != nil {
		return fmt.Errorf("queue.InsertTx: %w", err)
	}
	return nil
}

// RegisterMetrics exports the queue's backlog, lag and delivery times
// (RegisterMetrics of the package).
func (c *Client) RegisterMetrics(reg prometheus.Registerer) error {
	return RegisterMetrics(reg, c.pool, c.schema)
}

// Start starts the workers, and the delivery metrics, of a client with
// queues; an insert-only client has nothing to start. The workers outlive
// ctx: Stop ends them, letting deliveries in flight finish.
func (c *Client) Start(ctx context.Context) error {
	if !c.works {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.takeBack(ctx); err != nil {
		return err
	}
	if err := c.river.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("queue.Start: %w", err)
	}
	octx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	ObserveDeliveries(octx, c.river)
	c.started, c.observe = true, cancel
	return nil
}

// takeBack makes the jobs an earlier run of this replica was working when
// it died available again: no run but this one has the replica's name,
// so they are nobody's. They run again as River's rescue would run them,
// only without its wait; their consumers are idempotent, so even a run
// that was not dead after all (two processes given one name) does no
// harm.
func (c *Client) takeBack(ctx context.Context) error {
	if c.replica == "" {
		return nil
	}
	q := fmt.Sprintf(`UPDATE %s.river_job SET state = 'available', scheduled_at = now()
		WHERE state = 'running' AND starts_with(attempted_by[array_length(attempted_by, 1)], $1)`,
		pgx.Identifier{c.schema}.Sanitize())
	tag, err := c.pool.Exec(ctx, q, replicaPrefix(c.replica))
	if err != nil {
		return fmt.Errorf("queue.Start: take back the deliveries of an earlier run: %w", err)
	}
	if n := tag.RowsAffected(); n > 0 {
		c.log.InfoContext(ctx, "deliveries of an earlier run of this replica taken back", "replica", c.replica, "jobs", n)
	}
	return nil
}

// hardStopGrace bounds the wait for cancelled deliveries after a graceful
// stop ran out of time.
const hardStopGrace = 5 * time.Second

// Stop stops a started client: no new deliveries, and those in flight get
// until ctx ends to finish; then they are cancelled (they run again later,
// their consumers being idempotent).
func (c *Client) Stop(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.started {
		return nil
	}
	c.started = false
	defer c.observe()
	err := c.river.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), hardStopGrace)
		defer cancel()
		err = errors.Join(err, c.river.StopAndCancel(hctx))
	}
	if err != nil {
		return fmt.Errorf("queue.Stop: %w", err)
	}
	return nil
}
