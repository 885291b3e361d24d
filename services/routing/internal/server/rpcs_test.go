package server_test

import (
	"testing"

	// The generated package registers the descriptors routingRPCs reads.
	_ "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/server/servertest"
)

// Full method names of the routing service's RPCs, as the tests' tables
// key them.
const (
	rpcCreateMunicipality      = "/salga.routing.v1.RoutingService/CreateMunicipality"
	rpcUpdateMunicipality      = "/salga.routing.v1.RoutingService/UpdateMunicipality"
	rpcGetMunicipality         = "/salga.routing.v1.RoutingService/GetMunicipality"
	rpcListMunicipalities      = "/salga.routing.v1.RoutingService/ListMunicipalities"
	rpcImportMunicipalities    = "/salga.routing.v1.RoutingService/ImportMunicipalities"
	rpcResolveJurisdiction     = "/salga.routing.v1.RoutingService/ResolveJurisdiction"
	rpcCreateTeam              = "/salga.routing.v1.RoutingService/CreateTeam"
	rpcUpdateTeam              = "/salga.routing.v1.RoutingService/UpdateTeam"
	rpcDeactivateTeam          = "/salga.routing.v1.RoutingService/DeactivateTeam"
	rpcGetTeam                 = "/salga.routing.v1.RoutingService/GetTeam"
	rpcListTeams               = "/salga.routing.v1.RoutingService/ListTeams"
	rpcImportTeams             = "/salga.routing.v1.RoutingService/ImportTeams"
	rpcExplainRoute            = "/salga.routing.v1.RoutingService/ExplainRoute"
	rpcReassignTicket          = "/salga.routing.v1.RoutingService/ReassignTicket"
	rpcListAssignments         = "/salga.routing.v1.RoutingService/ListAssignments"
	rpcListTeamQueue           = "/salga.routing.v1.RoutingService/ListTeamQueue"
	rpcListTriageQueue         = "/salga.routing.v1.RoutingService/ListTriageQueue"
	rpcGetCoverage             = "/salga.routing.v1.RoutingService/GetCoverage"
	rpcImportBoundarySet       = "/salga.routing.v1.RoutingService/ImportBoundarySet"
	rpcListBoundarySets        = "/salga.routing.v1.RoutingService/ListBoundarySets"
	rpcRouteTicket             = "/salga.routing.v1.RoutingInternalService/RouteTicket"
	rpcBatchRouteTickets       = "/salga.routing.v1.RoutingInternalService/BatchRouteTickets"
	rpcEscalateTicket          = "/salga.routing.v1.RoutingInternalService/EscalateTicket"
	rpcRecordTicketStatus      = "/salga.routing.v1.RoutingInternalService/RecordTicketStatus"
	rpcBatchRecordTicketStatus = "/salga.routing.v1.RoutingInternalService/BatchRecordTicketStatus"
)

// routingRPCs lists the full name of every RPC of every service in package
// salga.routing.v1, public and internal, read from the generated descriptors: a test
// that checks a rule for each of them fails when an RPC is added and the
// test's table does not say how the rule applies to it.
func routingRPCs(t *testing.T) []string {
	t.Helper()
	return servertest.RPCs(t, "salga.routing.v1")
}

// requireClassified fails for every RPC that is in neither of a rule's two
// tables, or in both, and for table keys that are not RPCs.
func requireClassified[A, B any](t *testing.T, rule string, covered map[string]A, exempt map[string]B) {
	t.Helper()
	servertest.RequireClassified(t, rule, routingRPCs(t), covered, exempt)
}
