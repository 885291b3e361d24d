package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/salga/trustengine/libs/auth"
)

func TestUnaryServerInterceptorAuthenticates(t *testing.T) {
	t.Parallel()
	v := auth.NewHS256Verifier(secret)
	good, err := auth.MintHS256(secret, auth.Claims{Subject: "a", Tenant: "CPT", Roles: []string{"agent"}}, time.Minute)
	require.NoError(t, err)
	bad, err := auth.MintHS256([]byte("nope"), auth.Claims{Subject: "a", Tenant: "CPT"}, time.Minute)
	require.NoError(t, err)
	const reflect = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
	const reflectAlpha = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
	tests := []struct {
		name   string
		method string
		header string
		public auth.Public
		code   codes.Code
	}{
		{"a call without a token is Unauthenticated", "/salga.ticket.v1.TicketService/GetTicket", "", auth.Public{}, codes.Unauthenticated},
		{"a call with a non-bearer scheme is Unauthenticated", "/salga.ticket.v1.TicketService/GetTicket", "Basic abc", auth.Public{}, codes.Unauthenticated},
		{"a call with a bad token is Unauthenticated", "/salga.ticket.v1.TicketService/GetTicket", "Bearer " + bad, auth.Public{}, codes.Unauthenticated},
		{"a call with a good token reaches the handler with claims", "/salga.ticket.v1.TicketService/GetTicket", "Bearer " + good, auth.Public{}, codes.OK},
		{"a call with the scheme in lower case reaches the handler with claims", "/salga.ticket.v1.TicketService/GetTicket", "bearer " + good, auth.Public{}, codes.OK},
		{"a health check needs no token", "/grpc.health.v1.Health/Check", "", auth.Public{}, codes.OK},
		{"reflection without a token is Unauthenticated unless opened", reflect, "", auth.Public{}, codes.Unauthenticated},
		{"old-style reflection without a token is Unauthenticated unless opened", reflectAlpha, "", auth.Public{}, codes.Unauthenticated},
		{"reflection with a good token is served", reflect, "Bearer " + good, auth.Public{}, codes.OK},
		{"opened reflection needs no token", reflect, "", auth.Public{Reflection: true}, codes.OK},
		{"opening reflection opens nothing else", "/salga.ticket.v1.TicketService/GetTicket", "", auth.Public{Reflection: true}, codes.Unauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			if tt.header != "" {
				ctx = metadata.NewIncomingContext(ctx, metadata.Pairs("authorization", tt.header))
			}
			_, err := auth.UnaryServerInterceptor(v, tt.public)(ctx, nil, &grpc.UnaryServerInfo{FullMethod: tt.method},
				func(ctx context.Context, _ any) (any, error) {
					if tt.header != "" {
						c, ok := auth.FromContext(ctx)
						require.True(t, ok)
						require.Equal(t, "a", c.Subject)
					}
					return nil, nil
				})
			require.Equal(t, tt.code, status.Code(err))
		})
	}
}

func TestBearerCredentialsAttachesToken(t *testing.T) {
	t.Parallel()
	creds := auth.BearerCredentials(func() (string, error) { return "tok", nil })
	md, err := creds.GetRequestMetadata(context.Background())
	require.NoError(t, err)
	require.Equal(t, "Bearer tok", md["authorization"])
	require.False(t, creds.RequireTransportSecurity())
}

func TestAGatewayTokenReachesOnlyTheGatewayMethods(t *testing.T) {
	t.Parallel()
	v, err := auth.NewVerifier(auth.Keys{UserSecret: secret, ServiceSecret: serviceSecret, GatewaySecret: gatewaySecret})
	require.NoError(t, err)
	gateway, err := auth.MintGateway(gatewaySecret, "CPT", time.Minute)
	require.NoError(t, err)
	service, err := auth.MintService(serviceSecret, "ticket", "CPT", time.Minute)
	require.NoError(t, err)
	call := func(method, token string) error {
		ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+token))
		_, err := auth.UnaryServerInterceptor(v, auth.Public{})(ctx, nil, &grpc.UnaryServerInfo{FullMethod: method},
			func(context.Context, any) (any, error) { return nil, nil })
		return err
	}
	require.ElementsMatch(t, []string{
		"/salga.ticket.v1.TicketInternalService/VerifyApiKey",
		"/salga.ticket.v1.TicketInternalService/ListPublicTickets",
		"/salga.ticket.v1.TicketInternalService/GetPublicTicket",
		"/salga.ticket.v1.TicketInternalService/SubmitPublicReport",
		"/salga.ticket.v1.TicketInternalService/SubmitPublicReportWithMedia",
		"/salga.ticket.v1.TicketInternalService/DownloadPublicAttachment",
		"/salga.routing.v1.RoutingService/GetMunicipality",
		"/salga.notify.v1.NotifyInternalService/ReceiveWebhook",
		"/salga.notify.v1.NotifyInternalService/Unsubscribe",
		"/salga.ticket.v1.TicketService/ListNearbyTickets",
		"/salga.sla.v1.SlaInternalService/GetPublicAggregates",
	}, auth.GatewayMethods(), "the gateway's methods: Open311's, its photos', its nearby list, notify's inbound paths and the public dashboard's figures")
	for _, m := range auth.GatewayMethods() {
		require.NoError(t, call(m, gateway), "the gateway may call %s", m)
	}
	for _, m := range []string{
		"/salga.ticket.v1.TicketInternalService/RecordAssignment",
		"/salga.routing.v1.RoutingInternalService/RouteTicket",
		"/salga.routing.v1.RoutingService/CreateMunicipality",
		"/salga.ticket.v1.TicketService/GetTicket",
		"/salga.sla.v1.SlaInternalService/RunSweep",
		"/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
	} {
		require.Equal(t, codes.PermissionDenied, status.Code(call(m, gateway)), "the gateway may not call %s", m)
		require.NoError(t, call(m, service), "a service token is not bound to the gateway's list")
	}
}

func TestTwoAuthorizationValuesAreRefused(t *testing.T) {
	t.Parallel()
	v := auth.NewHS256Verifier(secret)
	good, err := auth.MintHS256(secret, auth.Claims{Subject: "a", Tenant: "CPT", Roles: []string{"agent"}}, time.Minute)
	require.NoError(t, err)
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+good, "authorization", "Bearer "+good))
	_, err = auth.UnaryServerInterceptor(v, auth.Public{})(ctx, nil, &grpc.UnaryServerInfo{FullMethod: "/salga.ticket.v1.TicketService/GetTicket"},
		func(context.Context, any) (any, error) { return nil, nil })
	require.Equal(t, codes.Unauthenticated, status.Code(err))
}
