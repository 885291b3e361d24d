// Command demoseed loads a demo municipality into a running suite: the City
// of Cape Town (CPT) with a team for every category, including a SAPS
// liaison team for GBV. It uses the real 2011 boundaries when the shared
// data folder is present, and shapes generated here otherwise. Running it
// again changes nothing that is already there.
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
	dataDir := flag.String("data", "", "shared data folder (mdb2011/...); empty generates shapes")
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

	shapes, err := loadShapes(dataDir)
	if err != nil {
		return err
	}
	_, err = rc.CreateMunicipality(ctx, &routingv1.CreateMunicipalityRequest{Municipality: &routingv1.Municipality{
		Code: "CPT", Name: "City of Cape Town", Province: "WC", Boundary: shapes.boundary,
	}})
	if err != nil && status.Code(err) != codes.AlreadyExists {
		return fmt.Errorf("create municipality: %w", err)
	}
	fmt.Printf("municipality CPT (%s)\n", shapes.source)
	// City-wide teams cover the boundary as stored: routing repairs an
	// official boundary that self-intersects, but refuses such team areas.
	muni, err := rc.GetMunicipality(ctx, &routingv1.GetMunicipalityRequest{Code: "CPT"})
	if err != nil {
		return fmt.Errorf("get municipality: %w", err)
	}
	for _, t := range shapes.teams {
		t.ServiceArea = muni.GetMunicipality().GetBoundary()
	}

	created, existing, refused := 0, 0, 0
	for _, w := range shapes.wards {
		_, err := rc.CreateTeam(ctx, &routingv1.CreateTeamRequest{Team: w})
		switch status.Code(err) {
		case codes.OK:
			created++
		case codes.AlreadyExists:
			existing++
		case codes.InvalidArgument:
			// A few official ward outlines self-intersect after
			// simplification; routing refuses invalid areas rather than
			// silently repairing them, and the demo goes on without them.
			refused++
			fmt.Printf("  skipped %s: %s\n", w.GetName(), status.Convert(err).Message())
		default:
			return fmt.Errorf("create team %q: %w", w.GetName(), err)
		}
	}
	fmt.Printf("water teams from %d wards: %d created, %d already there, %d refused as invalid\n",
		len(shapes.wards), created, existing, refused)
	for _, t := range shapes.teams {
		_, err := rc.CreateTeam(ctx, &routingv1.CreateTeamRequest{Team: t})
		if err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("create team %q: %w", t.GetName(), err)
		}
	}
	fmt.Printf("%d city-wide teams, including the SAPS GBV liaison team\n", len(shapes.teams))
	return nil
}
