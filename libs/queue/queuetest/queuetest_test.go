package queuetest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/queue/queuetest"
)

func TestAPeerFailsTheFirstDeliveryOfEachKindAndRecordsTheRest(t *testing.T) {
	t.Parallel()
	var p queuetest.Peer
	require.ErrorIs(t, p.Deliver("route", 1), context.DeadlineExceeded, "the first of a kind fails")
	require.ErrorIs(t, p.Deliver("status", 2), context.DeadlineExceeded, "the first of another kind fails too")
	require.NoError(t, p.Deliver("route", 3), "a retry is accepted")
	require.NoError(t, p.Deliver("status", 4))
	require.NoError(t, p.Deliver("route", 5))
	require.Equal(t, []string{"route", "status", "route"}, p.Seen())
	require.Equal(t, []queuetest.Delivery{{Kind: "route", Args: 3}, {Kind: "status", Args: 4}, {Kind: "route", Args: 5}}, p.Deliveries())
}
