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
