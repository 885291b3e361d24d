package server_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/server/servertest"
)

// jobRPC calls an internal RPC as ctx's caller with a valid request about
// ticket id of tenant TST.
type jobRPC func(ctx context.Context, e *env, id string) error

// byJobTenant are the internal RPCs whose request names the tenant of the
// job it carries.
var byJobTenant = map[string]jobRPC{
	rpcRouteTicket: func(ctx context.Context, e *env, id string) error {
		_, err := e.internal.RouteTicket(ctx, &routingv1.RouteTicketRequest{Tenant: "TST", TicketId: id, Category: water,
			Location: &commonv1.LatLng{Latitude: -29.5, Longitude: 25.5}})
		return err
	},
	rpcBatchRouteTickets: func(ctx context.Context, e *env, id string) error {
		_, err := e.internal.BatchRouteTickets(ctx, &routingv1.BatchRouteTicketsRequest{Tenant: "TST", Requests: []*routingv1.RouteTicketRequest{{
			Tenant: "TST", TicketId: id, Category: water, Location: &commonv1.LatLng{Latitude: -29.5, Longitude: 25.5}}}})
		return err
	},
	rpcEscalateTicket: func(ctx context.Context, e *env, id string) error {
		_, err := e.internal.EscalateTicket(ctx, &routingv1.EscalateTicketRequest{Tenant: "TST", TicketId: id, Level: 1,
			Reason: commonv1.AssignmentReason_ASSIGNMENT_REASON_SLA_BREACH, Note: "resolution clock breached"})
		return err
	},
	rpcRecordTicketStatus: func(ctx context.Context, e *env, id string) error {
		_, err := e.internal.RecordTicketStatus(ctx, &routingv1.RecordTicketStatusRequest{Tenant: "TST", TicketId: id,
			Status: commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, Sequence: 2})
		return err
	},
	rpcBatchRecordTicketStatus: func(ctx context.Context, e *env, id string) error {
		_, err := e.internal.BatchRecordTicketStatus(ctx, &routingv1.BatchRecordTicketStatusRequest{Tenant: "TST",
			Requests: []*routingv1.RecordTicketStatusRequest{{Tenant: "TST", TicketId: id,
				Status: commonv1.TicketStatus_TICKET_STATUS_IN_PROGRESS, Sequence: 2}}})
		return err
	},
}

// noJobTenant are the RPCs whose request names no tenant of a job.
var noJobTenant = map[string]string{
	rpcCreateMunicipality:   "public: a platform admin's",
	rpcUpdateMunicipality:   "public: a platform admin's",
	rpcImportMunicipalities: "public: a platform admin's",
	rpcGetMunicipality:      "public: anyone's; municipalities are not tenant data",
	rpcListMunicipalities:   "public: anyone's; municipalities are not tenant data",
	rpcResolveJurisdiction:  "public: anyone's; municipalities are not tenant data",
	rpcCreateTeam:           "public: an admin's, in the token's tenant",
	rpcUpdateTeam:           "public: an admin's, in the token's tenant",
	rpcDeactivateTeam:       "public: an admin's, in the token's tenant",
	rpcImportTeams:          "public: an admin's, in the token's tenant",
	rpcGetTeam:              "public: staff's or a service's, under the token's tenant (TestTeamsLifeCycleAndAccess)",
	rpcListTeams:            "public: staff's or a service's, in the token's tenant",
	rpcExplainRoute:         "public: staff's or a service's, in the token's tenant",
	rpcReassignTicket:       "public: a manager's or liaison's",
	rpcListAssignments:      "public: staff's",
	rpcListTeamQueue:        "public: staff's",
	rpcListTriageQueue:      "public: staff's",
	rpcGetCoverage:          "public: staff's or a service's, in the token's tenant",
	rpcImportBoundarySet:    "public: an admin's, in the token's tenant (a platform admin's when it merges)",
	rpcListBoundarySets:     "public: staff's or a service's, in the token's tenant",
}

// TestAnInternalCallActsOnlyForTheTenantItsTokenNames calls every internal
// RPC that carries a job of TST with a token for another tenant's job, with
// a service token for every tenant and with the gateway's identity for
// TST: each is PermissionDenied and changes nothing, while the token for
// TST's job passes.
func TestAnInternalCallActsOnlyForTheTenantItsTokenNames(t *testing.T) {
	t.Parallel()
	requireClassified(t, "job tenant", byJobTenant, noJobTenant)
	e := newEnv(t)
	e.municipality("TST")
	e.municipality("OTH")
	e.team("TST", &routingv1.Team{Name: "Water", Category: water, ManagerId: "lead", ServiceArea: square(25, -30, 26, -29)})
	id := e.route("TST", water, -29.5, 25.5).GetAssignment().GetTicketId()
	state := func() []int {
		return []int{e.count(`SELECT count(*) FROM routing.assignments`), e.count(`SELECT count(*) FROM routing.ticket_status`),
			e.count(`SELECT count(*) FROM routing.river_job`)}
	}
	refused := map[string]func(t *testing.T) context.Context{
		"a token for OTH's job":           func(t *testing.T) context.Context { return serviceFor(t, "OTH") },
		"a service token for all tenants": func(t *testing.T) context.Context { return as(t, auth.AllTenants, "sla", auth.RoleService) },
		"the gateway for jurisdiction TST": func(t *testing.T) context.Context {
			return servertest.WithToken(context.Background(), servertest.GatewayToken(t, "TST"))
		},
	}
	for _, m := range routingRPCs(t) {
		rpc, ok := byJobTenant[m]
		if !ok {
			continue
		}
		for name, ctx := range refused {
			t.Run(m+" with "+name, func(t *testing.T) {
				before := state()
				err := rpc(ctx(t), e, id)
				require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
				require.Equal(t, before, state(), "nothing changed")
			})
		}
		t.Run(m+" with a token for TST's job", func(t *testing.T) {
			require.NoError(t, rpc(service(t), e, id))
		})
	}
}
