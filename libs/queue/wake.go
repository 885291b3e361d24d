package queue

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// wakeTimeout bounds one wake-up; a lost one costs only a poll interval.
const wakeTimeout = 5 * time.Second

// wakeSQL sends River's insert notification for each queue named in $2 on
// channel $1, in a transaction of its own that does not wait for its
// commit to reach the disk: it changes nothing, and a notification lost
// to a crash costs only a poll. The database's notification lock is
// taken at commit and held through it, so it is held for the commit
// record's write alone, not for a flush, and no data transaction ever
// takes it.
const wakeSQL = `WITH quick AS (SELECT set_config('synchronous_commit', 'off', true))
	SELECT count(pg_notify($1, payload)) FROM quick, unnest($2::text[]) AS payload`

// waker tells the workers of every process sharing a schema, through
// River's insert channel, that jobs were committed to some of its queues,
// so they fetch at once instead of at their next poll. Wake-ups that ask
// while one is on its way go out together in the next, so a process sends
// at most one at a time however many transactions commit, and every
// commit is followed by a wake-up sent after it.
type waker struct {
	pool    *pgxpool.Pool
	channel string
	log     *slog.Logger

	mu      sync.Mutex
	pending map[string]struct{}
	sending bool
}

func newWaker(pool *pgxpool.Pool, schema string, log *slog.Logger) *waker {
	// River's producers listen on "<schema>.river_insert" for
	// {"queue": name} (riverpgxv5's PGNotifyMany and producer.go).
	return &waker{pool: pool, channel: schema + ".river_insert", log: log, pending: map[string]struct{}{}}
}

// wake asks for the workers of queues to be woken; it does not wait.
func (w *waker) wake(queues []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, q := range queues {
		w.pending[q] = struct{}{}
	}
	if !w.sending {
		w.sending = true
		go w.send()
	}
}

// send sends the wake-ups asked for until none is pending.
func (w *waker) send() {
	for {
		w.mu.Lock()
		if len(w.pending) == 0 {
			w.sending = false
			w.mu.Unlock()
			return
		}
		payloads := make([]string, 0, len(w.pending))
		for q := range w.pending {
			p, _ := json.Marshal(struct {
				Queue string `json:"queue"`
			}{q})
			payloads = append(payloads, string(p))
		}
		clear(w.pending)
		w.mu.Unlock()
		slices.Sort(payloads)
		ctx, cancel := context.WithTimeout(context.Background(), wakeTimeout)
		if _, err := w.pool.Exec(ctx, wakeSQL, w.channel, payloads); err != nil {
			// The workers' poll finds the jobs instead.
			w.log.Debug("queue: wake-up not sent", "channel", w.channel, "err", err)
		}
		cancel()
	}
}
