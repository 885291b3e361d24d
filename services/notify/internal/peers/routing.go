package peers

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	libpeers "github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// Routing reads teams from the routing service's public API.
type Routing struct {
	c routingv1.RoutingServiceClient
}

// NewRouting returns the routing adapter over conn (dialed with libs/peers).
func NewRouting(conn grpc.ClientConnInterface) *Routing {
	return &Routing{c: routingv1.NewRoutingServiceClient(conn)}
}

// GetTeam implements app.Teams: team id as routing has it in tenant,
// domain.ErrTeamNotFound when it has none there.
func (r *Routing) GetTeam(ctx context.Context, tenant, id string) (domain.Team, error) {
	resp, err := r.c.GetTeam(libpeers.ForTenant(ctx, tenant), &routingv1.GetTeamRequest{Id: id})
	if c := status.Code(err); c == codes.NotFound || c == codes.InvalidArgument {
		return domain.Team{}, domain.ErrTeamNotFound
	}
	if err != nil {
		return domain.Team{}, fmt.Errorf("peers.GetTeam: %w", err)
	}
	t := resp.GetTeam()
	if t.GetTenant() != tenant {
		return domain.Team{}, domain.ErrTeamNotFound
	}
	out := domain.Team{ID: t.GetId(), Name: t.GetName(), IsSAPS: t.GetIsSaps(), ManagerID: t.GetManagerId(),
		EscalationTeamID: t.GetEscalationTeamId()}
	for _, m := range t.GetMembers() {
		out.MemberIDs = append(out.MemberIDs, m.GetUserId())
	}
	return out, nil
}
