package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// readiness answers 200 when every service behind the gateway reports
// SERVING on grpc.health.v1, else 503 with each service's state.
func readiness(b Backends) http.Handler {
	conns := map[string]*grpc.ClientConn{"ticket": b.Ticket, "routing": b.Routing, "sla": b.SLA, "notify": b.Notify}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		states := make(map[string]string, len(conns))
		ready := true
		for name, cc := range conns {
			resp, err := healthpb.NewHealthClient(cc).Check(ctx, &healthpb.HealthCheckRequest{})
			switch {
			case err != nil:
				states[name], ready = "UNREACHABLE", false
			case resp.GetStatus() != healthpb.HealthCheckResponse_SERVING:
				states[name], ready = resp.GetStatus().String(), false
			default:
				states[name] = "SERVING"
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ready": ready, "services": states})
	})
}
