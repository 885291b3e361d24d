package queue

import (
	"context"
	"errors"
	"sync"
)

// Settings of the queues whose workers deliver through a Batcher.
const (
	// BatchSize is the most jobs one consumer call carries.
	BatchSize = 100
	// BatchSlots is how many batches of one key a process sends at once,
	// so that one batch is gathered while another is committed.
	BatchSlots = 2
	// BatchWorkers is the queue's Queue.MaxWorkers: enough running jobs
	// to fill every slot's batch.
	BatchWorkers = BatchSize * BatchSlots
)

// Batcher gathers the deliveries that the workers of one job kind make at
// the same time into one call of a consumer's batch RPC, per key (the
// tenant the call names), so that many jobs cost the consumer one request
// and one transaction. River still owns every job: each worker waits in Do
// until the batch that carried its job is done and returns that outcome, so
// a job is completed only after the consumer committed it, and a process
// killed mid-batch leaves its jobs running until River's rescue makes them
// available again (the consumers are idempotent by each item's own key).
//
// There is no timer: a delivery that finds a free sending slot goes out at
// once with whatever is waiting, and deliveries arriving while the slots
// are busy wait for the next batch; an idle queue adds no latency.
type Batcher[T any] struct {
	max, slots int
	many       func(ctx context.Context, key string, items []T) error
	one        func(ctx context.Context, item T) error

	mu   sync.Mutex
	keys map[string]*batchKey[T]
}

// NewBatcher returns a Batcher sending at most size items per call of many,
// with at most slots calls per key at once. When a batch of more than one
// item fails, each item is delivered again on its own with one, so that an
// item its consumer refuses (a status change ahead of its creation) fails
// its own job only.
func NewBatcher[T any](size, slots int, many func(ctx context.Context, key string, items []T) error,
	one func(ctx context.Context, item T) error) *Batcher[T] {
	return &Batcher[T]{max: max(1, size), slots: max(1, slots), many: many, one: one, keys: map[string]*batchKey[T]{}}
}

// batchKey is the state of one key: the deliveries waiting for a batch and
// how many batches are being sent.
type batchKey[T any] struct {
	waiting []*batchItem[T]
	sending int
}

// batchItem is one waiting delivery: done receives its batch's outcome,
// lead tells it to send the next batch itself.
type batchItem[T any] struct {
	item T
	done chan error
	lead chan struct{}
}

// errBatchFailed tells the members of a failed batch to deliver alone.
var errBatchFailed = errors.New("queue: batch failed")

// Do delivers item in a batch of key's and returns when that batch is done:
// nil once the consumer accepted it.
func (b *Batcher[T]) Do(ctx context.Context, key string, item T) error {
	it := &batchItem[T]{item: item, done: make(chan error, 1), lead: make(chan struct{}, 1)}
	b.mu.Lock()
	k := b.keys[key]
	if k == nil {
		k = &batchKey[T]{}
		b.keys[key] = k
	}
	if k.sending < b.slots {
		k.sending++
		b.mu.Unlock()
		return b.send(ctx, key, k, it)
	}
	k.waiting = append(k.waiting, it)
	b.mu.Unlock()
	select {
	case err := <-it.done:
		return b.outcome(ctx, it, err)
	case <-it.lead:
		return b.send(ctx, key, k, it)
	case <-ctx.Done():
	}
	b.mu.Lock()
	for i, w := range k.waiting {
		if w == it {
			k.waiting = append(k.waiting[:i], k.waiting[i+1:]...)
			b.mu.Unlock()
			return ctx.Err()
		}
	}
	b.mu.Unlock()
	// Already taken into a batch, or handed the next one.
	select {
	case err := <-it.done:
		return b.outcome(ctx, it, err)
	case <-it.lead:
		return b.send(ctx, key, k, it)
	}
}

// send sends it with up to max-1 of the oldest waiting items, tells them
// the outcome, and hands its slot to the oldest item still waiting.
func (b *Batcher[T]) send(ctx context.Context, key string, k *batchKey[T], it *batchItem[T]) error {
	b.mu.Lock()
	n := min(len(k.waiting), b.max-1)
	batch := append([]*batchItem[T]{it}, k.waiting[:n]...)
	k.waiting = append([]*batchItem[T](nil), k.waiting[n:]...)
	b.mu.Unlock()
	items := make([]T, len(batch))
	for i, w := range batch {
		items[i] = w.item
	}
	err := b.many(ctx, key, items)
	if err != nil && len(batch) > 1 {
		err = errBatchFailed
	}
	for _, w := range batch[1:] {
		w.done <- err
	}
	b.mu.Lock()
	if len(k.waiting) > 0 {
		next := k.waiting[0]
		k.waiting = k.waiting[1:]
		next.lead <- struct{}{}
	} else if k.sending--; k.sending == 0 {
		delete(b.keys, key)
	}
	b.mu.Unlock()
	return b.outcome(ctx, it, err)
}

// outcome is err, or, for a failed batch, the item delivered alone.
func (b *Batcher[T]) outcome(ctx context.Context, it *batchItem[T], err error) error {
	if errors.Is(err, errBatchFailed) {
		return b.one(ctx, it.item)
	}
	return err
}
