package delivery_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/services/routing/internal/delivery"
	"github.com/salga/trustengine/services/routing/internal/domain"
)

// recorded captures deliveries; it stands in for the ticket service, not
// for Postgres.
type recorded struct {
	got    []delivery.RecordAssignmentArgs
	access []delivery.RecordGBVAccessArgs
}

func (r *recorded) RecordAssignment(_ context.Context, a delivery.RecordAssignmentArgs) error {
	r.got = append(r.got, a)
	return nil
}

func (r *recorded) RecordGBVAccess(_ context.Context, a delivery.RecordGBVAccessArgs) error {
	r.access = append(r.access, a)
	return nil
}

// The ticket service stands in for both workers.
var _ delivery.Ticket = (*recorded)(nil)

func TestRecordAssignmentWorkerDeliversTheAssignment(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	args := delivery.ArgsFor(domain.Assignment{ID: "a1", Tenant: "CPT", TicketID: "t1", TeamID: "team", TeamName: "Water",
		PersonID: "p", Reason: domain.ReasonSLABreach, EscalationLevel: 2, CreatedAt: at})
	require.Equal(t, "routing.record_assignment", args.Kind())
	rec := &recorded{}
	w := &delivery.RecordAssignmentWorker{Recorder: rec}
	require.NoError(t, w.Work(context.Background(), &river.Job[delivery.RecordAssignmentArgs]{Args: args}))
	require.Len(t, rec.got, 1)
	require.Equal(t, "sla_breach", rec.got[0].Reason)
	require.EqualValues(t, 2, rec.got[0].EscalationLevel)
	require.Equal(t, at, rec.got[0].AssignTime)
}

func TestRecordGBVAccessWorkerDeliversTheDisclosure(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	args := delivery.AccessArgsFor(domain.Disclosure{Tenant: "CPT", TicketIDs: []string{"t1", "t2"}, Subject: "liaison",
		Roles: []string{"saps_liaison"}, Action: "routing.ListTeamQueue", EventID: "e1", Time: at})
	require.Equal(t, "routing.record_gbv_access", args.Kind())
	rec := &recorded{}
	w := &delivery.RecordGBVAccessWorker{Recorder: rec}
	require.NoError(t, w.Work(context.Background(), &river.Job[delivery.RecordGBVAccessArgs]{Args: args}))
	require.Equal(t, []delivery.RecordGBVAccessArgs{{Tenant: "CPT", TicketIDs: []string{"t1", "t2"}, Subject: "liaison",
		Roles: []string{"saps_liaison"}, Action: "routing.ListTeamQueue", EventID: "e1", Time: at}}, rec.access)
}
