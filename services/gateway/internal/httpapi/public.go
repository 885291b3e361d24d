package httpapi

import (
	"net/http"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/csvreport"
	"github.com/salga/trustengine/libs/peers"
)

// PublicFigures serves GET /public/v1/aggregates: a municipality's figures
// per category (and ward) over a period for a public dashboard, with no
// token, like Open311. It calls the SLA service as the gateway itself (a
// gateway token naming the jurisdiction, which SLA accepts on
// GetPublicAggregates only), and SLA never counts GBV there.
type PublicFigures struct {
	// SLA is SlaInternalService dialed with the gateway's identity.
	SLA slav1.SlaInternalServiceClient
	// Routing checks the jurisdiction, dialed with the gateway's identity.
	Routing routingv1.RoutingServiceClient
}

// ServeHTTP answers `?jurisdiction_id=CPT&period=2026/27-Q1[&by_ward=true]`
// as JSON, or as CSV with `Accept: text/csv` or `format=csv`.
func (p *PublicFigures) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code := strings.TrimSpace(q.Get("jurisdiction_id"))
	fail := func(c codes.Code, msg string) { writeError(r.Context(), nil, nil, w, r, status.Error(c, msg)) }
	switch {
	case code == "":
		fail(codes.InvalidArgument, "jurisdiction_id: is required: the municipality code, e.g. CPT")
		return
	case !auth.IsTenantCode(code):
		fail(codes.NotFound, "jurisdiction_id "+code+" not found")
		return
	}
	csvOut := q.Get("format") == "csv" || strings.Contains(r.Header.Get("Accept"), "text/csv")
	if f := q.Get("format"); f != "" && f != "csv" && f != "json" {
		fail(codes.InvalidArgument, "format: must be csv or json")
		return
	}
	ctx := peers.ForTenant(r.Context(), code)
	if _, err := p.Routing.GetMunicipality(ctx, &routingv1.GetMunicipalityRequest{Code: code}); err != nil {
		if status.Code(err) == codes.NotFound || status.Code(err) == codes.InvalidArgument {
			fail(codes.NotFound, "jurisdiction_id "+code+" not found")
			return
		}
		writeError(r.Context(), nil, nil, w, r, err)
		return
	}
	res, err := p.SLA.GetPublicAggregates(ctx, &slav1.GetPublicAggregatesRequest{Tenant: code, Period: q.Get("period"),
		ByWard: q.Get("by_ward") == "true"})
	if err != nil {
		writeError(r.Context(), nil, nil, w, r, err)
		return
	}
	if csvOut {
		w.Header().Set("Content-Type", csvreport.ContentType)
		_ = csvreport.Write(w, res)
		return
	}
	b, err := protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}.Marshal(res)
	if err != nil {
		writeError(r.Context(), nil, nil, w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
