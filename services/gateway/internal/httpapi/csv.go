package httpapi

import (
	"context"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/salga/trustengine/libs/csvreport"
)

// csvMarshaler answers `Accept: text/csv` (or `?format=csv`) with the
// rows of a report as CSV, a header row naming the columns (libs/csvreport);
// an answer that is no report (it has no rows) stays JSON.
type csvMarshaler struct {
	runtime.Marshaler // JSON, for request bodies and answers that are no report
}

// isReport reports whether v is an answer with rows.
func isReport(v any) (proto.Message, bool) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, false
	}
	return m, csvreport.RowsField(m.ProtoReflect()) != nil
}

// Marshal implements runtime.Marshaler.
func (c csvMarshaler) Marshal(v any) ([]byte, error) {
	if m, ok := isReport(v); ok {
		return csvreport.Marshal(m)
	}
	return c.Marshaler.Marshal(v)
}

// ContentType implements runtime.Marshaler.
func (c csvMarshaler) ContentType(v any) string {
	if _, ok := isReport(v); ok {
		return csvreport.ContentType
	}
	return c.Marshaler.ContentType(v)
}

// withFormat turns `?format=csv` into `Accept: text/csv` (and
// `?format=json` into JSON), so a link in a browser downloads the CSV; any
// other format is refused.
func withFormat(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if !q.Has("format") {
			next.ServeHTTP(w, r)
			return
		}
		switch q.Get("format") {
		case "csv":
			r.Header.Set("Accept", "text/csv")
		case "json":
			r.Header.Set("Accept", "application/json")
		default:
			st := status.New(codes.InvalidArgument, "format: must be csv or json")
			writeError(r.Context(), nil, nil, w, r, st.Err())
			return
		}
		q.Del("format")
		r.URL.RawQuery = q.Encode()
		next.ServeHTTP(w, r)
	})
}

// nextPageHeader copies an answer's next_page_token into the
// X-Next-Page-Token header, where a CSV reader finds it (the CSV has no
// room for it).
func nextPageHeader(_ context.Context, w http.ResponseWriter, m proto.Message) error {
	pm := m.ProtoReflect()
	f := pm.Descriptor().Fields().ByName("next_page_token")
	if f != nil && f.Kind() == protoreflect.StringKind {
		if tok := pm.Get(f).String(); tok != "" {
			w.Header().Set("X-Next-Page-Token", tok)
		}
	}
	return nil
}
