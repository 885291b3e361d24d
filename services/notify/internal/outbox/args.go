// Package outbox records, in the transaction of a change, the work the
// notify service's queue must do (River jobs in schema "notify", through
// libs/queue): plan an event's messages, deliver a message. Its workers
// run that work with the use cases of package app, behind the interfaces
// declared here; retries and backoff are libs/queue's.
package outbox

import (
	"github.com/riverqueue/river"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// QueuePlan is the queue of planning jobs; each channel's deliveries have
// a queue of their own, named by the channel, so a process without a
// provider for a channel leaves its messages waiting, never failing.
const QueuePlan = "plan"

// PlanEventArgs asks for the messages of one event (app.PlanEvent).
type PlanEventArgs struct {
	Tenant  string `json:"tenant"`
	EventID string `json:"event_id"`
}

// Kind implements river.JobArgs.
func (PlanEventArgs) Kind() string { return "notify.plan_event" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PlanEventArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueuePlan} }

// DeliverArgs asks for one message to be sent (app.DeliverMessage). The
// args carry ids only: the address is read at send time.
type DeliverArgs struct {
	Tenant    string         `json:"tenant"`
	MessageID string         `json:"message_id"`
	Channel   domain.Channel `json:"channel"`
}

// Kind implements river.JobArgs: one kind for every channel, whose queue
// tells them apart.
func (DeliverArgs) Kind() string { return "notify.deliver" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (a DeliverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: string(a.Channel)} }
