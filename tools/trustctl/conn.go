package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	"github.com/salga/trustengine/libs/auth"
)

// maxMessage is the routing service's message limit (64 MB); imports are
// sent in batches well below it.
const maxMessage = 64 << 20

// target is where and how a subcommand reaches the routing service.
type target struct {
	addr   string
	useTLS bool
}

// register adds -addr and -tls to fs.
func (t *target) register(fs *flag.FlagSet) {
	def := os.Getenv("TRUSTENGINE_ROUTING_ADDR")
	if def == "" {
		def = "127.0.0.1:9102"
	}
	fs.StringVar(&t.addr, "addr", def, "routing service gRPC address (TRUSTENGINE_ROUTING_ADDR)")
	fs.BoolVar(&t.useTLS, "tls", false, "connect with TLS (system roots) instead of plain text")
}

// routing dials the routing service with the token of TRUSTENGINE_TOKEN.
func (t *target) routing() (routingv1.RoutingServiceClient, func(), error) {
	token := os.Getenv("TRUSTENGINE_TOKEN")
	if token == "" {
		return nil, nil, errors.New("TRUSTENGINE_TOKEN is empty: set it to a bearer token (in development: export TRUSTENGINE_TOKEN=$(trustctl token -role platform_admin -tenant '*'))")
	}
	creds := insecure.NewCredentials()
	if t.useTLS {
		creds = credentials.NewTLS(&tls.Config{MinVersion: tls.VersionTLS12})
	}
	cc, err := grpc.NewClient(t.addr, grpc.WithTransportCredentials(creds),
		grpc.WithPerRPCCredentials(auth.BearerCredentials(func() (string, error) { return token, nil })),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(maxMessage), grpc.MaxCallRecvMsgSize(maxMessage)))
	if err != nil {
		return nil, nil, err
	}
	return routingv1.NewRoutingServiceClient(cc), func() { _ = cc.Close() }, nil
}
