package access_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/salga/trustengine/libs/access"
)

func TestABatchCallActsForOneMunicipalityWithValidItemsOnly(t *testing.T) {
	t.Parallel()
	ctx := access.WithCaller(context.Background(), service("CPT"))
	many := make([]job, access.MaxBatch+1)
	for i := range many {
		many[i] = job{tenant: "CPT"}
	}
	tests := []struct {
		name  string
		batch access.Batch[job]
		want  codes.Code
	}{
		{"items of the token's municipality", access.Batch[job]{Tenant: "CPT", Items: []job{{tenant: "CPT"}, {tenant: "CPT"}}}, codes.OK},
		{"a batch of another municipality", access.Batch[job]{Tenant: "JHB", Items: []job{{tenant: "JHB"}}}, codes.PermissionDenied},
		{"an item of another municipality", access.Batch[job]{Tenant: "CPT", Items: []job{{tenant: "CPT"}, {tenant: "JHB"}}}, codes.InvalidArgument},
		{"an invalid item", access.Batch[job]{Tenant: "CPT", Items: []job{{tenant: "CPT"}, {tenant: "CPT", bad: true}}}, codes.InvalidArgument},
		{"no items", access.Batch[job]{Tenant: "CPT"}, codes.InvalidArgument},
		{"too many items", access.Batch[job]{Tenant: "CPT", Items: many}, codes.InvalidArgument},
		{"no tenant", access.Batch[job]{Items: []job{{tenant: "CPT"}}}, codes.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := access.ForJob(ctx, access.Caller.RequireService, tt.batch)
			require.Equal(t, tt.want, code(err), "%v", err)
		})
	}
	t.Run("an invalid item's field is named inside it", func(t *testing.T) {
		t.Parallel()
		_, err := access.ForJob(ctx, access.Caller.RequireService,
			access.Batch[job]{Tenant: "CPT", Items: []job{{tenant: "CPT"}, {tenant: "CPT", bad: true}}})
		require.ErrorContains(t, err, "invalid requests[1].ticket_id: is required")
	})
}

func TestABatchIsAppliedInTheOrderOfItsKeysTiesAsSent(t *testing.T) {
	b := access.Batch[job]{Tenant: "CPT", Items: []job{{tenant: "JHB"}, {tenant: "CPT", bad: true}, {tenant: "CPT"}, {tenant: "BUF"}}}
	order := b.Order(func(x, y job) int { return strings.Compare(x.tenant, y.tenant) })
	require.Equal(t, []int{3, 1, 2, 0}, order, "sorted by key; the two CPT items as sent")
}
