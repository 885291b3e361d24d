package outbox

import (
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// Schema is where River's tables live: the notify service's own schema.
const Schema = "notify"

// NewInserter is the client the use cases insert jobs with: insert-only,
// so it needs no workers and can be built before them.
func NewInserter(pool *pgxpool.Pool, logger *slog.Logger) (*queue.Client, error) {
	c, err := queue.New(queue.Options{Pool: pool, Schema: Schema, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("outbox.NewInserter: %w", err)
	}
	return c, nil
}

// Work is what this process works.
type Work struct {
	// Planner plans events; nil leaves planning jobs waiting (a process
	// that cannot reach routing and SLA).
	Planner Planner
	// Deliverer sends messages on Channels, the channels this process has
	// a provider for; others wait.
	Deliverer Deliverer
	Channels  []domain.Channel
	// Replica names this process among the service's replicas
	// (queue.Options.Replica), so a restarted run takes back at once what
	// a killed one left running.
	Replica string
}

// NewQueue builds the queue this process works (server.Options.Queue).
func NewQueue(pool *pgxpool.Pool, logger *slog.Logger, w Work) (*queue.Client, error) {
	var qs []queue.Queue
	if w.Planner != nil {
		qs = append(qs, queue.Queue{Name: QueuePlan, MaxWorkers: queue.BatchWorkers, Workers: []queue.Worker{queue.Work(newPlanWorker(w.Planner))}})
	}
	if w.Deliverer != nil {
		for i, ch := range w.Channels {
			q := queue.Queue{Name: string(ch)}
			if i == 0 {
				// One worker serves the kind in every channel's queue.
				q.Workers = []queue.Worker{queue.Work(&deliverWorker{deliverer: w.Deliverer})}
			}
			qs = append(qs, q)
		}
	}
	c, err := queue.New(queue.Options{Pool: pool, Schema: Schema, Logger: logger, Queues: qs, Replica: w.Replica})
	if err != nil {
		return nil, fmt.Errorf("outbox.NewQueue: %w", err)
	}
	return c, nil
}
