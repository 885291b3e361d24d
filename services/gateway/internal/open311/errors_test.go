package open311

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestBackendErrorsMapToOpen311Statuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		status  int
		message string // "" when the service's message must not be shown
	}{
		{"bad input is 400 with the reason", status.Error(codes.InvalidArgument, "invalid location: is required"), 400, "invalid location: is required"},
		{"an idempotency key reused for another report is 409 with the reason",
			status.Error(codes.AlreadyExists, "idempotency_key was already used for a different request"), 409,
			"idempotency_key was already used for a different request"},
		{"a missing request is 404", status.Error(codes.NotFound, "ticket not found"), 404, "ticket not found"},
		{"a refused key is 403 without detail", status.Error(codes.PermissionDenied, "invalid api_key"), 403, ""},
		{"an internal failure is a bare 500", status.Error(codes.Internal, "internal error: pq: boom"), 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			writeBackendError(rec, formatJSON, tt.err)
			require.Equal(t, tt.status, rec.Code)
			var body []struct {
				Code        int    `json:"code"`
				Description string `json:"description"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
			require.Len(t, body, 1)
			require.Equal(t, tt.status, body[0].Code)
			if tt.message != "" {
				require.Equal(t, tt.message, body[0].Description)
			} else {
				require.NotContains(t, body[0].Description, status.Convert(tt.err).Message())
			}
		})
	}
}
