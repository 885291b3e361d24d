package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

// The routing RPCs that name a ticket answer anyone but the tenant's SAPS
// liaison about a GBV ticket exactly as about an id that does not exist:
// same code, same message. The RPCs are enumerated from the contract.
func TestAGBVTicketIsIndistinguishableFromAMissingOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.municipality("TST")
	e.municipality("OTH")
	e.team("TST", &routingv1.Team{Name: "SAPS", Category: gbv, IsSaps: true, ServiceArea: square(25, -30, 26, -29)})
	saps2 := e.team("TST", &routingv1.Team{Name: "SAPS north", Category: gbv, IsSaps: true})
	roadsTeam := e.team("TST", &routingv1.Team{Name: "Roads", Category: roads})
	ticket := e.route("TST", gbv, -29.5, 25.5).GetAssignment().GetTicketId()

	calls := map[string]func(ctx context.Context, id string) error{
		"ReassignTicket": func(ctx context.Context, id string) error {
			_, err := e.public.ReassignTicket(ctx, &routingv1.ReassignTicketRequest{TicketId: id, TeamId: saps2.GetId(), Note: "x"})
			if err == nil {
				return nil
			}
			_, err2 := e.public.ReassignTicket(ctx, &routingv1.ReassignTicketRequest{TicketId: id, TeamId: roadsTeam.GetId(), Note: "x"})
			require.Equal(t, status.Convert(err).Message(), status.Convert(err2).Message(), "the target team tells nothing either")
			return err
		},
		"ListAssignments": func(ctx context.Context, id string) error {
			_, err := e.public.ListAssignments(ctx, &routingv1.ListAssignmentsRequest{TicketId: id})
			return err
		},
	}
	svc := routingv1.File_salga_routing_v1_routing_service_proto.Services().ByName("RoutingService")
	var named []string
	for i := range svc.Methods().Len() {
		m := svc.Methods().Get(i)
		if m.Input().Fields().ByName(protoreflect.Name("ticket_id")) != nil {
			named = append(named, string(m.Name()))
		}
	}
	require.ElementsMatch(t, named, keysOf(calls), "every RPC that takes a ticket id is tried")

	others := []context.Context{
		as(t, "TST", "agent", auth.RoleAgent), as(t, "TST", "mgr", auth.RoleTeamManager),
		as(t, "TST", "admin", auth.RoleMunicipalAdmin), as(t, "*", "root", auth.RolePlatformAdmin),
		as(t, "OTH", "liaison", auth.RoleSAPSLiaison), as(t, "TST", "citizen", auth.RoleCitizen),
		as(t, "*", "root-liaison", auth.RolePlatformAdmin, auth.RoleSAPSLiaison),
	}
	for name, call := range calls {
		for i, ctx := range others {
			missing := newID()
			gbvErr, missingErr := call(ctx, ticket), call(ctx, missing)
			require.Error(t, gbvErr, "%s by caller %d", name, i)
			require.Equal(t, status.Code(missingErr), status.Code(gbvErr), "%s by caller %d", name, i)
			require.Equal(t, strings.ReplaceAll(status.Convert(missingErr).Message(), missing, ticket),
				status.Convert(gbvErr).Message(), "%s by caller %d", name, i)
		}
		require.NoError(t, call(as(t, "TST", "liaison", auth.RoleSAPSLiaison), ticket), "the liaison may %s", name)
	}
	require.Equal(t, 2, e.count(`SELECT count(*) FROM routing.assignments WHERE ticket_id = $1`, ticket),
		"only the liaison's reassignment was made")
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
