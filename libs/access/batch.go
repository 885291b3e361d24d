package access

import (
	"fmt"
	"slices"

	"github.com/salga/trustengine/libs/apperr"
)

// MaxBatch bounds the items of one internal batch call.
const MaxBatch = 500

// Batch is the input of an internal batch call (a Batch* RPC): jobs of one
// municipality delivered together, each validated as it would be alone and
// each of the batch's tenant.
type Batch[J Job] struct {
	// Tenant is the municipality of every item.
	Tenant string
	// Items are the jobs, in the order of the request.
	Items []J
}

// Validate refuses an empty or oversized batch, an invalid item and an
// item of another municipality, naming the item.
func (b Batch[J]) Validate() error {
	if b.Tenant == "" {
		return apperr.Invalid("tenant", "is required")
	}
	if len(b.Items) == 0 || len(b.Items) > MaxBatch {
		return apperr.Invalid("requests", fmt.Sprintf("must hold 1 to %d items", MaxBatch))
	}
	for i, it := range b.Items {
		if err := it.Validate(); err != nil {
			return apperr.Within(fmt.Sprintf("requests[%d]", i), err)
		}
		if it.ForTenant() != b.Tenant {
			return apperr.Invalid(fmt.Sprintf("requests[%d].tenant", i), "must be the batch's tenant")
		}
	}
	return nil
}

// Order is the order to apply b's items in: their indexes sorted by cmp,
// items cmp finds equal in the order of the request. Consumers sort by
// ticket id, so that batches sharing tickets lock them in one order and
// wait for each other instead of deadlocking.
func (b Batch[J]) Order(cmp func(x, y J) int) []int {
	order := make([]int, len(b.Items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp(b.Items[x], b.Items[y]) })
	return order
}

// ForTenant is the municipality of every item.
func (b Batch[J]) ForTenant() string { return b.Tenant }
