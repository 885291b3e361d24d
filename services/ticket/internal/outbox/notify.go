package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// QueueNotify is the queue of the notification service's jobs.
const QueueNotify = "notify"

// NotifyArgs tells the notification service of one notifiable history
// entry (NotifyInternalService.RecordTicketEvent, idempotent per event
// id). The reporter's contact travels sealed (libs/seal, bound to the
// ticket), so no job row holds it in the clear; the worker opens it for
// the call.
type NotifyArgs struct {
	Event            string                     `json:"event"`
	EventID          string                     `json:"event_id"`
	Tenant           string                     `json:"tenant"`
	TicketID         string                     `json:"ticket_id"`
	Reference        string                     `json:"reference"`
	Category         string                     `json:"category"`
	From             string                     `json:"from,omitempty"`
	To               string                     `json:"to,omitempty"`
	OccurTime        time.Time                  `json:"occur_time"`
	Sequence         int64                      `json:"sequence"`
	ReporterSubject  string                     `json:"reporter_subject,omitempty"`
	Contact          *seal.Sealed               `json:"contact,omitempty"`
	Preferences      domain.ReporterPreferences `json:"preferences"`
	TeamID           string                     `json:"team_id,omitempty"`
	TeamName         string                     `json:"team_name,omitempty"`
	PersonID         string                     `json:"person_id,omitempty"`
	AssignmentReason string                     `json:"assignment_reason,omitempty"`
	EscalationLevel  int32                      `json:"escalation_level,omitempty"`
	Clock            string                     `json:"clock,omitempty"`
	Deadline         *time.Time                 `json:"deadline,omitempty"`
	Note             string                     `json:"note,omitempty"`
	// Followers are the tickets whose reporters follow this one and hear
	// of the event too (NotifyInternalService's follower_ticket_ids).
	Followers []string `json:"followers,omitempty"`
}

// Kind implements river.JobArgs.
func (NotifyArgs) Kind() string { return "ticket.notify_event" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (NotifyArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueNotify} }

// NotifyEvent is a NotifyArgs with the reporter's contact opened: what
// the notify adapter sends.
type NotifyEvent struct {
	NotifyArgs
	Reporter domain.Reporter
}

// contactAAD binds a job's sealed contact to its tenant and ticket.
func contactAAD(tenant, ticketID string) []byte {
	return []byte("ticket:" + tenant + ":" + ticketID + ":notify")
}

// Notify records that the notification service must hear of n.
func (e *Enqueuer) Notify(ctx context.Context, tx pgx.Tx, n domain.Notice) error {
	a, err := e.notifyArgs(n)
	if err != nil {
		return fmt.Errorf("outbox.Notify: %w", err)
	}
	if err := e.jobs.InsertTx(ctx, tx, a); err != nil {
		return fmt.Errorf("outbox.Notify: %w", err)
	}
	return nil
}

// notifyArgs is the job of notice n, the reporter's contact sealed.
func (e *Enqueuer) notifyArgs(n domain.Notice) (NotifyArgs, error) {
	a := NotifyArgs{Event: n.Kind, EventID: n.EventID, Tenant: n.Tenant, TicketID: n.TicketID, Reference: n.Reference,
		Category: n.Category, From: string(n.From), To: string(n.To), OccurTime: n.OccurTime, Sequence: n.Sequence,
		ReporterSubject: n.ReporterSubject, Preferences: n.Preferences, TeamID: n.TeamID, TeamName: n.TeamName,
		PersonID: n.PersonID, AssignmentReason: n.AssignmentReason, EscalationLevel: n.EscalationLevel, Clock: n.Clock,
		Deadline: n.Deadline, Note: n.Note, Followers: n.Followers}
	if n.Reporter != (domain.Reporter{}) {
		pt, err := json.Marshal(n.Reporter)
		if err != nil {
			return a, err
		}
		sd, err := e.keys.Seal(pt, contactAAD(n.Tenant, n.TicketID))
		if err != nil {
			return a, err
		}
		a.Contact = &sd
	}
	return a, nil
}

// NotifyClient is what the notify worker needs of the notification
// service.
type NotifyClient interface {
	// RecordTicketEvent tells it of one event.
	RecordTicketEvent(ctx context.Context, e NotifyEvent) error
	// BatchRecordTicketEvents tells it of many events of tenant's tickets
	// in one call.
	BatchRecordTicketEvents(ctx context.Context, tenant string, es []NotifyEvent) error
}

// notifyWorker delivers NotifyArgs, those of a tenant running at once in
// one BatchRecordTicketEvents.
type notifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	batch *queue.Batcher[NotifyEvent]
	keys  *seal.Keyring
}

func newNotifyWorker(c NotifyClient, keys *seal.Keyring) *notifyWorker {
	return &notifyWorker{batch: queue.NewBatcher(queue.BatchSize, queue.BatchSlots, c.BatchRecordTicketEvents, c.RecordTicketEvent),
		keys: keys}
}

// Work implements river.Worker: it opens the contact and delivers.
func (w *notifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	e := NotifyEvent{NotifyArgs: job.Args}
	if c := job.Args.Contact; c != nil {
		pt, err := w.keys.Open(*c, contactAAD(job.Args.Tenant, job.Args.TicketID))
		if err != nil {
			return fmt.Errorf("outbox: notify %s: %w", job.Args.EventID, err)
		}
		if err := json.Unmarshal(pt, &e.Reporter); err != nil {
			return fmt.Errorf("outbox: notify %s: %w", job.Args.EventID, err)
		}
	}
	if err := w.batch.Do(ctx, job.Args.Tenant, e); err != nil {
		return fmt.Errorf("outbox: notify %s: %w", job.Args.EventID, err)
	}
	return nil
}
