package e2e

import (
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
)

// span is what the test reads of one received span.
type span struct {
	service, name, trace, id, parent string
}

// otlpReceiver is an OTLP/gRPC trace collector in the test process: it
// keeps every span the suite's processes export.
type otlpReceiver struct {
	collectortrace.UnimplementedTraceServiceServer
	addr  string
	mu    sync.Mutex
	spans []span
}

func startOTLPReceiver(t *testing.T) *otlpReceiver {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	r := &otlpReceiver{addr: lis.Addr().String()}
	srv := grpc.NewServer()
	collectortrace.RegisterTraceServiceServer(srv, r)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return r
}

// Export implements the collector's TraceService.
func (r *otlpReceiver) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		service := ""
		for _, a := range rs.GetResource().GetAttributes() {
			if a.GetKey() == "service.name" {
				service = a.GetValue().GetStringValue()
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				r.spans = append(r.spans, span{service: service, name: sp.GetName(), trace: hex.EncodeToString(sp.GetTraceId()),
					id: hex.EncodeToString(sp.GetSpanId()), parent: hex.EncodeToString(sp.GetParentSpanId())})
			}
		}
	}
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

func (r *otlpReceiver) received() []span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.spans)
}

func TestOneCreateIsOneTraceFromTheGatewayThroughEveryService(t *testing.T) {
	t.Parallel()
	rx := startOTLPReceiver(t)
	s := startSuite(t, options{
		extraEnv: []string{"OTEL_EXPORTER_OTLP_ENDPOINT=http://" + rx.addr, "OTEL_BSP_SCHEDULE_DELAY=200"},
		envFor:   map[string][]string{"ticket": {"LOG_LEVEL=info"}},
	})
	s.seedCity(t, "TST")
	code, body, _ := s.call(http.MethodPost, "/v1/tickets", s.token("agent-1", "TST", "agent"),
		`{"category":"CATEGORY_WATER","description":"Burst pipe, traced","location":{"latitude":-33.9,"longitude":18.45}}`, nil)
	require.Equal(t, http.StatusOK, code, "%v", body)
	id := body["ticket"].(map[string]any)["id"].(string)

	// The create's trace starts at the gateway's HTTP span and reaches
	// ticket (the create and its jobs), routing and sla (their internal
	// RPCs, called by ticket's deliveries) and back.
	var root span
	var services map[string]int
	s.eventually(60*time.Second, "one trace through gateway, ticket, routing and sla", func() (bool, string) {
		spans := rx.received()
		for _, sp := range spans {
			if sp.service == "gateway" && sp.name == "POST /v1/tickets" {
				root = sp
			}
		}
		if root.trace == "" {
			return false, fmt.Sprintf("%d spans, no gateway span yet", len(spans))
		}
		services = map[string]int{}
		for _, sp := range spans {
			if sp.trace == root.trace {
				services[sp.service]++
			}
		}
		return services["gateway"] > 0 && services["ticket"] > 0 && services["routing"] > 0 && services["sla"] > 0,
			fmt.Sprintf("spans of the trace by service: %v", services)
	})
	require.Empty(t, root.parent, "the gateway's span is the trace's root")

	// Every span of the ticket's deliveries is in that trace: the jobs
	// carried it, and each hop's span has its parent in the trace. A parent
	// (the caller's client span) ends after its child and may reach the
	// receiver in a later batch, so the check waits for the batches.
	var deliveries, internal int
	s.eventually(30*time.Second, "every delivery and internal span has its parent in the create's trace", func() (bool, string) {
		spans := rx.received()
		inTrace := map[string]bool{}
		for _, sp := range spans {
			if sp.trace == root.trace {
				inTrace[sp.id] = true
			}
		}
		deliveries, internal = 0, 0
		for _, sp := range spans {
			// The seed's own calls start traces of their own; after it, only
			// the create makes ticket deliver anything.
			isWork := strings.HasPrefix(sp.name, "work ") && sp.service == "ticket"
			isInternal := strings.Contains(sp.name, "InternalService/") && sp.service != "notify"
			if !isWork && !isInternal {
				continue
			}
			if isWork {
				deliveries++
			}
			if isInternal {
				internal++
			}
			if sp.trace != root.trace {
				return false, fmt.Sprintf("%s span %q is in trace %s, not the create's", sp.service, sp.name, sp.trace)
			}
			if !inTrace[sp.parent] {
				return false, fmt.Sprintf("%s span %q has no parent in the trace yet", sp.service, sp.name)
			}
		}
		return true, ""
	})
	require.Positive(t, deliveries, "ticket's deliveries are traced")
	require.Positive(t, internal, "the internal calls are traced")

	// The ticket service's log line of the create carries the trace id.
	s.eventually(10*time.Second, "the create's log line names the trace", func() (bool, string) {
		log := s.procs["ticket"].logText()
		return strings.Contains(log, `"trace_id":"`+root.trace+`"`), tail(log, 600)
	})
	line := fmt.Sprintf("tracing: ticket %s created through the gateway is trace %s with spans by service %v", id, root.trace, services)
	t.Log(line)
	fmt.Println(line)
}
