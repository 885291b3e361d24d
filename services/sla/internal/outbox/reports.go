package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// QueueReports is the queue of the service's own report production.
const QueueReports = "reports"

// ReportInterval is how often the periodic job looks for schedules whose
// period has ended: a file is kept within this long of its period's end.
const ReportInterval = 10 * time.Minute

// ProduceReportsArgs asks the service to produce every scheduled report
// that is due (inserted by River's periodic job, never by a use case).
type ProduceReportsArgs struct{}

// Kind implements river.JobArgs.
func (ProduceReportsArgs) Kind() string { return "sla.produce_reports" }

// InsertOpts implements river.JobArgsWithInsertOpts: one job per
// interval is enough, however many replicas insert one.
func (ProduceReportsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReports, UniqueOpts: river.UniqueOpts{ByPeriod: ReportInterval}}
}

// ReportProducer produces the due scheduled reports and says how many
// files it kept (app.App.ProduceDueReports with the service's renderer).
type ReportProducer func(ctx context.Context) (int, error)

// produceReportsWorker works ProduceReportsArgs.
type produceReportsWorker struct {
	river.WorkerDefaults[ProduceReportsArgs]
	produce ReportProducer
}

// Work implements river.Worker; an error retries, and a file already kept
// for its period is never kept twice.
func (w *produceReportsWorker) Work(ctx context.Context, _ *river.Job[ProduceReportsArgs]) error {
	if _, err := w.produce(ctx); err != nil {
		return fmt.Errorf("outbox: produce reports: %w", err)
	}
	return nil
}

// reportsPeriodic is the periodic job that inserts ProduceReportsArgs
// every ReportInterval, and once at start.
func reportsPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(ReportInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ProduceReportsArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// QueueNotify holds jobs for the notify service (NOTIFY_ADDR).
const QueueNotify = "notify"

// SendReportArgs asks the notify service to mail a produced file to its
// schedule's recipients (NotifyInternalService.SendReportExport, which
// sends once per export and recipient). The file travels in the job: a
// report is a few kilobytes.
type SendReportArgs struct {
	Tenant      string   `json:"tenant" river:"unique"`
	ExportID    string   `json:"export_id" river:"unique"`
	Recipients  []string `json:"recipients"`
	Subject     string   `json:"subject"`
	Body        string   `json:"body"`
	FileName    string   `json:"file_name"`
	ContentType string   `json:"content_type"`
	Content     []byte   `json:"content"`
}

// Kind implements river.JobArgs.
func (SendReportArgs) Kind() string { return "sla.send_report" }

// InsertOpts routes the job to the notify queue, once per export among
// River's jobs too; attempts are libs/queue's.
func (SendReportArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueNotify, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// NotifyClient is what the workers need of the notify service.
type NotifyClient interface {
	// SendReportExport mails a produced file to its recipients.
	SendReportExport(ctx context.Context, a SendReportArgs) error
}

// sendReportWorker delivers SendReportArgs.
type sendReportWorker struct {
	river.WorkerDefaults[SendReportArgs]
	client NotifyClient
}

// Work implements river.Worker; an error retries, which sends nothing
// twice: notify keeps one message per export and recipient.
func (w *sendReportWorker) Work(ctx context.Context, job *river.Job[SendReportArgs]) error {
	if err := w.client.SendReportExport(ctx, job.Args); err != nil {
		return fmt.Errorf("outbox: mail report %s: %w", job.Args.ExportID, err)
	}
	return nil
}
