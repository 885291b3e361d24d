package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/salga/trustengine/libs/tracing"
)

// traceKey is the key of a job's metadata that holds the trace context of
// the request that inserted it (W3C traceparent and tracestate).
const traceKey = "trace"

// traceJobs carries a trace across a job: at insert it writes the trace
// context of the inserting request into the job's metadata, and when the
// job is worked it continues that trace with a consumer span, so the
// delivery's calls to other services join the request's trace, however
// much later and in whichever process the job runs.
type traceJobs struct{ river.MiddlewareDefaults }

// InsertMany implements rivertype.JobInsertMiddleware.
func (traceJobs) InsertMany(ctx context.Context, params []*rivertype.JobInsertParams, inner func(context.Context) ([]*rivertype.JobInsertResult, error)) ([]*rivertype.JobInsertResult, error) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return inner(ctx)
	}
	carrier := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, carrier)
	for _, p := range params {
		meta := map[string]any{}
		if len(p.Metadata) > 0 {
			if err := json.Unmarshal(p.Metadata, &meta); err != nil {
				return nil, fmt.Errorf("queue: metadata of %s: %w", p.Kind, err)
			}
		}
		meta[traceKey] = carrier
		b, err := json.Marshal(meta)
		if err != nil {
			return nil, fmt.Errorf("queue: metadata of %s: %w", p.Kind, err)
		}
		p.Metadata = b
	}
	return inner(ctx)
}

// Work implements rivertype.WorkerMiddleware.
func (traceJobs) Work(ctx context.Context, job *rivertype.JobRow, inner func(context.Context) error) error {
	var meta struct {
		Trace map[string]string `json:"trace"`
	}
	if len(job.Metadata) > 0 {
		// A job without a readable trace is worked all the same.
		_ = json.Unmarshal(job.Metadata, &meta)
	}
	ctx = otel.GetTextMapPropagator().Extract(ctx, propagation.MapCarrier(meta.Trace))
	ctx, span := otel.Tracer(tracing.Name).Start(ctx, "work "+job.Kind, trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(attribute.String("messaging.system", "river"), attribute.String("messaging.destination.name", job.Queue),
			attribute.String("messaging.message.id", strconv.FormatInt(job.ID, 10)), attribute.Int("river.attempt", job.Attempt)))
	defer span.End()
	err := inner(ctx)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	return err
}
