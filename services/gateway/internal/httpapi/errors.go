package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/salga/trustengine/libs/apperr"
)

// errorBody is the JSON shape of every error the gateway returns.
type errorBody struct {
	// Code is the numeric gRPC status code.
	Code int32 `json:"code"`
	// Status is the gRPC status name, e.g. INVALID_ARGUMENT.
	Status string `json:"status"`
	// Message says what went wrong and, for bad input, which field and rule.
	Message string `json:"message"`
	// Details carries typed details such as google.rpc.BadRequest field
	// violations, in their protobuf JSON form.
	Details []json.RawMessage `json:"details"`
}

// httpStatus maps a gRPC code to the HTTP status JSON callers expect. It
// differs from grpc-gateway's defaults where REST conventions are clearer:
// an illegal state change (FAILED_PRECONDITION) is a 409 Conflict, not 400.
func httpStatus(c codes.Code) int {
	switch c {
	case codes.FailedPrecondition, codes.AlreadyExists, codes.Aborted:
		return http.StatusConflict
	default:
		return runtime.HTTPStatusFromCode(c)
	}
}

// writeError is the gateway's one error handler: every failure, from a
// backend or from decoding the request, is written here.
func writeError(ctx context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	st := status.Convert(err)
	if mbe := asMaxBytesError(err); mbe != nil {
		st = status.New(codes.InvalidArgument, "request body larger than "+strconv.FormatInt(mbe.Limit, 10)+" bytes")
		writeStatus(w, http.StatusRequestEntityTooLarge, st)
		return
	}
	if md, ok := runtime.ServerMetadataFromContext(ctx); ok {
		for _, v := range md.HeaderMD.Get("retry-after") {
			w.Header().Set("Retry-After", v)
		}
	}
	writeStatus(w, httpStatus(st.Code()), st)
}

// WriteError writes err in the gateway's error shape: an apperr error with
// its code and field violations, any other error as INTERNAL (its cause
// logged, never sent). Handlers outside grpc-gateway (the console's) use it
// so every error of the gateway looks alike.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	writeError(r.Context(), nil, nil, w, r, apperr.ToStatus(r.Context(), err).Err())
}

// writeStatus writes st as an errorBody with the given HTTP status.
func writeStatus(w http.ResponseWriter, httpCode int, st *status.Status) {
	body := errorBody{Code: int32(st.Code()), Status: codeName(st.Code()), Message: st.Message(), Details: []json.RawMessage{}}
	for _, d := range st.Proto().GetDetails() {
		raw, err := protojson.Marshal(d)
		if err == nil {
			body.Details = append(body.Details, raw)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(httpCode)
	_ = json.NewEncoder(w).Encode(body)
}

// codeNames are the canonical upper-case names of the gRPC codes.
var codeNames = map[codes.Code]string{
	codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN",
	codes.InvalidArgument: "INVALID_ARGUMENT", codes.DeadlineExceeded: "DEADLINE_EXCEEDED",
	codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
	codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED",
	codes.OutOfRange: "OUT_OF_RANGE", codes.Unimplemented: "UNIMPLEMENTED",
	codes.Internal: "INTERNAL", codes.Unavailable: "UNAVAILABLE", codes.DataLoss: "DATA_LOSS",
	codes.Unauthenticated: "UNAUTHENTICATED",
}

// codeName returns the canonical upper-case name of a gRPC code.
func codeName(c codes.Code) string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return "UNKNOWN"
}

// writeRoutingError answers requests that match no route (404) or use the
// wrong method (405) in the same error shape.
func writeRoutingError(_ context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, _ *http.Request, httpStatus int) {
	c := codes.NotFound
	msg := "no such API path"
	if httpStatus == http.StatusMethodNotAllowed {
		c, msg = codes.Unimplemented, "method not allowed on this path"
	}
	writeStatus(w, httpStatus, status.New(c, msg))
}
