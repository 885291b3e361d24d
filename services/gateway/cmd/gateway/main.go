// Command gateway serves the suite's public API as JSON over HTTP
// (grpc-gateway), in front of the ticket, routing, SLA and notify gRPC
// services.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"

	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/logging"
	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/tracing"
	"github.com/salga/trustengine/services/gateway/internal/config"
	"github.com/salga/trustengine/services/gateway/internal/console"
	"github.com/salga/trustengine/services/gateway/internal/httpapi"
	"github.com/salga/trustengine/services/gateway/internal/notifyhooks"
	"github.com/salga/trustengine/services/gateway/internal/open311"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		slog.Error("gateway stopped", "err", err)
		os.Exit(1)
	}
}

// run serves until ctx is cancelled, then drains in-flight requests.
func run(ctx context.Context) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := logging.New(cfg.LogLevel)
	slog.SetDefault(log)
	stopTracing, err := tracing.Start(ctx, "gateway")
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	defer func() {
		fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := stopTracing(fctx); err != nil {
			log.Warn("flush traces", "error", err.Error())
		}
	}()

	// The services' addresses may each be a list of replicas or a name that
	// resolves to them all: calls are balanced over the healthy ones, and
	// safe ones move on from a replica that fails (peers.Connect).
	var b httpapi.Backends
	for _, d := range []struct {
		addr string
		dst  **grpc.ClientConn
	}{{cfg.TicketAddr, &b.Ticket}, {cfg.RoutingAddr, &b.Routing}, {cfg.SLAAddr, &b.SLA}, {cfg.NotifyAddr, &b.Notify}} {
		cc, err := peers.Connect(d.addr)
		if err != nil {
			return fmt.Errorf("gateway: dial %s: %w", d.addr, err)
		}
		defer cc.Close()
		*d.dst = cc
	}

	// User tokens are verified only to attribute requests to tenants and
	// clients for rate limiting; the services verify every token again.
	verifier, err := auth.NewVerifierFromConfig(auth.VerifierConfig{UserSecret: cfg.JWTSecret, UserPublicKeyFile: cfg.JWTPublicKeyFile,
		OIDC: cfg.OIDC.Verifier()})
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	// The Open311 facade calls ticket and routing as the gateway itself, with
	// its own narrow identity: a gateway token naming the jurisdiction of
	// each call, which those services accept only on the RPCs
	// auth.GatewayMayCall lists.
	id := peers.Gateway([]byte(cfg.GatewayJWTSecret))
	var svc [4]*grpc.ClientConn
	for i, addr := range []string{cfg.TicketAddr, cfg.RoutingAddr, cfg.NotifyAddr, cfg.SLAAddr} {
		cc, err := peers.Dial(addr, id)
		if err != nil {
			return fmt.Errorf("gateway: dial %s: %w", addr, err)
		}
		defer cc.Close()
		svc[i] = cc
	}
	// In development mode the console's sign-in mints user tokens with the
	// development user secret; outside it there is no signer at all.
	var signer *auth.Signer
	if cfg.DevMode {
		signer = auth.NewHS256Signer([]byte(cfg.JWTSecret))
	}
	con, err := console.New(console.Settings{
		DevMode: cfg.DevMode, Signer: signer,
		TileURL: cfg.ConsoleTileURL, TileAttribution: cfg.ConsoleTileAttribution,
		OIDCIssuer: cfg.ConsoleOIDCIssuer, OIDCClientID: cfg.ConsoleOIDCClientID, OIDCScopes: cfg.ConsoleOIDCScopes,
		OIDCTenantClaim: cfg.OIDC.TenantClaim, OIDCRolesClaim: cfg.OIDC.RolesClaim,
		Fail: httpapi.WriteError,
	})
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	if cfg.DevMode {
		log.Warn("development mode: the console offers a sign-in as any role of any tenant")
	}
	if cfg.ConsoleOIDCIssuer != "" && cfg.ConsoleOIDCIssuer != cfg.OIDC.Issuer {
		// The services verify the console's tokens only with OIDC_ISSUER.
		log.Warn("CONSOLE_OIDC_ISSUER differs from OIDC_ISSUER: the services will refuse the console's tokens unless they verify that issuer",
			"console_issuer", cfg.ConsoleOIDCIssuer, "oidc_issuer", cfg.OIDC.Issuer)
	}
	var allow []netip.Prefix
	for _, c := range cfg.MediaFetchAllow {
		p, err := netip.ParsePrefix(strings.TrimSpace(c))
		if err != nil {
			return fmt.Errorf("gateway: OPEN311_MEDIA_FETCH_ALLOW: %w", err)
		}
		allow = append(allow, p)
	}
	media := open311.Media{MaxBytes: cfg.MaxUploadBytes, IdleTimeout: cfg.UploadIdleTimeout, Timeout: cfg.UploadTimeout,
		FetchTimeout: cfg.MediaFetchTimeout, PublicURL: cfg.PublicURL}
	if cfg.MediaFetchTimeout > 0 {
		media.Fetcher = open311.NewFetcher(open311.FetchOptions{MaxBytes: cfg.MaxUploadBytes, Timeout: cfg.MediaFetchTimeout, Allow: allow})
	}
	handler, err := httpapi.New(ctx, b, httpapi.Options{
		MaxBodyBytes: cfg.MaxBodyBytes,
		CORSOrigins:  cfg.CORSOrigins,
		RateLimit: httpapi.RateLimit{
			TenantPerSecond: cfg.TenantRate, TenantBurst: cfg.TenantBurst,
			ClientPerSecond: cfg.ClientRate, ClientBurst: cfg.ClientBurst, MaxKeys: cfg.RateMaxKeys,
			Verifier: verifier,
		},
		Open311: open311.New(ticketv1.NewTicketInternalServiceClient(svc[0]), routingv1.NewRoutingServiceClient(svc[1]), media).
			WithNearby(ticketv1.NewTicketServiceClient(svc[0])),
		Console: con,
		Uploads: httpapi.Uploads{MaxFileBytes: cfg.MaxUploadBytes, MaxFiles: cfg.MaxUploadFiles,
			IdleTimeout: cfg.UploadIdleTimeout, Timeout: cfg.UploadTimeout},
		// Providers' webhooks and unsubscribe links reach notify with the
		// gateway's own token, which notify accepts on those two RPCs.
		Notify: notifyhooks.New(notifyv1.NewNotifyInternalServiceClient(svc[2])),
		// The public dashboard's figures reach SLA with the gateway's own
		// token, which SLA accepts on GetPublicAggregates only.
		Public: &httpapi.PublicFigures{SLA: slav1.NewSlaInternalServiceClient(svc[3]), Routing: routingv1.NewRoutingServiceClient(svc[1])},
	})
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("gateway: listen %s: %w", cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: tracing.HTTP(handler, "gateway"), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second}
	log.Info("gateway listening", "addr", lis.Addr().String(), "console_built", con.Built(), "ticket", cfg.TicketAddr, "routing", cfg.RoutingAddr, "sla", cfg.SLAAddr, "notify", cfg.NotifyAddr)

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("gateway: serve: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			// What is still open when the time is up (a request that
			// outlived it, or a connection a client opened and never
			// used, which Shutdown waits 5 s for) is cut, as libs/server
			// cuts RPCs: clients resend on a lost connection.
			log.Warn("graceful stop timed out; closing remaining connections", "error", err.Error())
			_ = srv.Close()
		}
		return nil
	})
	return g.Wait()
}
