// Command demoseed loads a demo into a running suite. With -data (the
// repository's data folder, as make run passes it) it imports every
// municipality of South Africa and every ward of the City of Cape Town
// (CPT) from the official MDB 2011 boundaries, repairing the few invalid
// shapes, with a water team per ward and a team for every other category,
// including a SAPS liaison team for GBV. Without -data it makes CPT a
// generated square with four wards. Running it again changes nothing that
// is already there.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/config"
)

func main() {
	routingAddr := flag.String("routing", "127.0.0.1:9102", "routing service gRPC address")
	dataDir := flag.String("data", "", "the repository's data folder (mdb2011/*.geojson.gz); empty generates shapes")
	secret := flag.String("secret", "", "HS256 secret of user tokens (default: JWT_HS256_SECRET; in development mode, empty means the development secret)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	key, err := userSecret(*secret)
	if err != nil {
		log.Fatalf("demoseed: %v", err)
	}
	if err := run(ctx, *routingAddr, *dataDir, []byte(key)); err != nil {
		log.Fatalf("demoseed: %v", err)
	}
}

// userSecret is the -secret flag, else JWT_HS256_SECRET, under the same
// development-mode rule as every process: the published secret only with
// TRUSTENGINE_DEV_MODE=1.
func userSecret(flagValue string) (string, error) {
	var a config.Auth
	if err := config.Load(&a); err != nil {
		return "", err
	}
	if flagValue != "" {
		a.JWTSecret = flagValue
	}
	return a.UserSecret()
}

// run creates the municipality and its teams through the routing API, as a
// platform admin would.
func run(ctx context.Context, addr, dataDir string, secret []byte) error {
	token, err := auth.MintHS256(secret, auth.Claims{Subject: "demo-seed", Tenant: "CPT",
		Roles: []string{auth.RolePlatformAdmin, auth.RoleMunicipalAdmin}}, time.Hour)
	if err != nil {
		return err
	}
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithPerRPCCredentials(auth.BearerCredentials(func() (string, error) { return token, nil })),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(64<<20)))
	if err != nil {
		return err
	}
	defer cc.Close()
	rc := routingv1.NewRoutingServiceClient(cc)

	if dataDir != "" {
		return seedReal(ctx, rc, dataDir)
	}
	return seedGenerated(ctx, rc)
}

// seedGenerated creates CPT as a generated square with four ward teams.
func seedGenerated(ctx context.Context, rc routingv1.RoutingServiceClient) error {
	shapes := generatedShapes()
	_, err := rc.CreateMunicipality(ctx, &routingv1.CreateMunicipalityRequest{Municipality: &routingv1.Municipality{
		Code: "CPT", Name: "City of Cape Town", Province: "WC", Boundary: shapes.boundary,
	}})
	if err != nil && status.Code(err) != codes.AlreadyExists {
		return fmt.Errorf("create municipality: %w", err)
	}
	fmt.Printf("municipality CPT (%s)\n", shapes.source)
	created, existing := 0, 0
	for _, w := range shapes.wards {
		_, err := rc.CreateTeam(ctx, &routingv1.CreateTeamRequest{Team: w})
		switch status.Code(err) {
		case codes.OK:
			created++
		case codes.AlreadyExists:
			existing++
		default:
			return fmt.Errorf("create team %q: %w", w.GetName(), err)
		}
	}
	fmt.Printf("water teams from %d wards: %d created, %d already there\n", len(shapes.wards), created, existing)
	return createTeams(ctx, rc, shapes.teams)
}

// createTeams creates the city-wide teams that are not there yet.
func createTeams(ctx context.Context, rc routingv1.RoutingServiceClient, teams []*routingv1.Team) error {
	for _, t := range teams {
		_, err := rc.CreateTeam(ctx, &routingv1.CreateTeamRequest{Team: t})
		if err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("create team %q: %w", t.GetName(), err)
		}
	}
	fmt.Printf("%d city-wide teams, including the SAPS GBV liaison team\n", len(teams))
	return nil
}
