package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	routingv1 "github.com/salga/trustengine/gen/go/salga/routing/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

func TestExpiredForgedAndMissingTokensAreRefusedEverywhere(t *testing.T) {
	t.Parallel()
	s := startSuite(t, options{extraEnv: hostileEnv})
	s.seedCity(t, "TST")
	ctx := context.Background()
	before := s.snapshot(t)
	now := time.Now().Unix()
	claims := func(edit func(map[string]any)) map[string]any {
		c := map[string]any{"sub": "mallory", "tenant": "TST", "roles": []string{"platform_admin"},
			"iss": "trustengine", "iat": now, "exp": now + 3600}
		edit(c)
		return c
	}
	keep := func(map[string]any) {}
	tokens := []struct{ name, token string }{
		{"no token", ""},
		{"a token that is not a JWT", "not-a-jwt"},
		{"an expired token", rawToken("HS256", secret, claims(func(c map[string]any) { c["iat"], c["exp"] = now-7200, now-3600 }))},
		{"a token signed with another secret", rawToken("HS256", "guessed-secret", claims(keep))},
		{"an unsigned alg=none token", rawToken("none", "", claims(keep))},
		{"a token whose header claims HS512", rawToken("HS512", secret, claims(keep))},
		{"a token without an expiry", rawToken("HS256", secret, claims(func(c map[string]any) { delete(c, "exp") }))},
		{"a token from another issuer", rawToken("HS256", secret, claims(func(c map[string]any) { c["iss"] = "evil" }))},
		{"a token without a tenant", rawToken("HS256", secret, claims(func(c map[string]any) { delete(c, "tenant") }))},
		{"a token without a subject", rawToken("HS256", secret, claims(func(c map[string]any) { delete(c, "sub") }))},
		{"a token with an invented role", rawToken("HS256", secret, claims(func(c map[string]any) { c["roles"] = []string{"superuser"} }))},
		{"a token with a forged signature", rawToken("HS256", secret, claims(keep))[:40] + "x" + rawToken("HS256", secret, claims(keep))[41:]},
	}
	// The harness's own minting is the control: a sound token is accepted.
	good := rawToken("HS256", secret, claims(keep))
	_, err := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, good)).ListTeams(ctx, &routingv1.ListTeamsRequest{Tenant: "TST"})
	require.NoError(t, err, "the control token is refused")

	var ty tally
	for _, tk := range tokens {
		tc := ticketv1.NewTicketServiceClient(s.dial(s.ticketAddr, tk.token))
		rc := routingv1.NewRoutingServiceClient(s.dial(s.routingAddr, tk.token))
		sc := slav1.NewSlaServiceClient(s.dial(s.slaAddr, tk.token))
		nc := notifyv1.NewNotifyServiceClient(s.dial(s.notifyAddr, tk.token))
		calls := map[string]func() error{
			"notify ListTicketMessages": func() error {
				_, err := nc.ListTicketMessages(ctx, &notifyv1.ListTicketMessagesRequest{TicketId: "00000000-0000-0000-0000-000000000000"})
				return err
			},
			"notify SetStaffContact": func() error {
				_, err := nc.SetStaffContact(ctx, &notifyv1.SetStaffContactRequest{UserId: "u", Contact: &notifyv1.StaffContact{Email: "a@b.org"}})
				return err
			},
			"ticket ListTickets": func() error { _, err := tc.ListTickets(ctx, &ticketv1.ListTicketsRequest{}); return err },
			"ticket CreateTicket": func() error {
				_, err := tc.CreateTicket(ctx, &ticketv1.CreateTicketRequest{Category: commonv1.Category_CATEGORY_WATER, Description: "x", Location: westPoint})
				return err
			},
			"ticket ListGbvAccessLog": func() error { _, err := tc.ListGbvAccessLog(ctx, &ticketv1.ListGbvAccessLogRequest{}); return err },
			"routing ListTeams":       func() error { _, err := rc.ListTeams(ctx, &routingv1.ListTeamsRequest{Tenant: "TST"}); return err },
			"routing CreateMunicipality": func() error {
				_, err := rc.CreateMunicipality(ctx, &routingv1.CreateMunicipalityRequest{Municipality: &routingv1.Municipality{Code: "EVL", Name: "Evil", Province: "WC"}})
				return err
			},
			"sla ListSlaConfigs": func() error { _, err := sc.ListSlaConfigs(ctx, &slav1.ListSlaConfigsRequest{}); return err },
			"sla CreateSlaConfig": func() error {
				_, err := sc.CreateSlaConfig(ctx, &slav1.CreateSlaConfigRequest{Config: &slav1.SlaConfig{Category: commonv1.Category_CATEGORY_WATER, ResponseHours: 1, ResolutionHours: 2}})
				return err
			},
		}
		for what, call := range calls {
			ty.grpc(t, tk.name+": "+what, call(), codes.Unauthenticated)
		}
		for _, a := range []struct{ method, path, body string }{
			{"GET", "/v1/tickets", ""},
			{"POST", "/v1/tickets", `{"category":"CATEGORY_WATER","description":"x","location":{"latitude":-33.9,"longitude":18.45}}`},
			{"GET", "/v1/teams?tenant=TST", ""},
			{"POST", "/v1/municipalities", `{"code":"EVL","name":"Evil","province":"WC"}`},
			{"GET", "/v1/sla/configs", ""},
			{"DELETE", "/v1/sla/configs/00000000-0000-0000-0000-000000000000", ""},
			{"GET", "/v1/gbv-access-log", ""},
			{"GET", "/v1/notify/templates", ""},
			{"PUT", "/v1/notify/settings", `{"reporter_messages_at_night":true}`},
		} {
			code, body, _ := s.call(a.method, a.path, tk.token, a.body, nil)
			ty.http(t, tk.name+": "+a.method+" "+a.path, code, body, 401)
		}
	}
	// A sound token of a user role cannot reach the internal services.
	citizen := s.token("citizen-1", "TST", "citizen")
	_, err = ticketv1.NewTicketInternalServiceClient(s.dial(s.ticketAddr, citizen)).RecordDeadlines(ctx, &ticketv1.RecordDeadlinesRequest{})
	ty.grpc(t, "citizen TicketInternalService.RecordDeadlines", err, codes.PermissionDenied)
	_, err = routingv1.NewRoutingInternalServiceClient(s.dial(s.routingAddr, citizen)).RouteTicket(ctx, &routingv1.RouteTicketRequest{})
	ty.grpc(t, "citizen RoutingInternalService.RouteTicket", err, codes.PermissionDenied)
	_, err = slav1.NewSlaInternalServiceClient(s.dial(s.slaAddr, citizen)).RunSweep(ctx, &slav1.RunSweepRequest{})
	ty.grpc(t, "citizen SlaInternalService.RunSweep", err, codes.PermissionDenied)
	_, err = slav1.NewSlaInternalServiceClient(s.dial(s.slaAddr, citizen)).ListClockEvents(ctx, &slav1.ListClockEventsRequest{})
	ty.grpc(t, "citizen SlaInternalService.ListClockEvents", err, codes.PermissionDenied)
	_, err = ticketv1.NewTicketInternalServiceClient(s.dial(s.ticketAddr, citizen)).RecordClockEvent(ctx, &ticketv1.RecordClockEventRequest{})
	ty.grpc(t, "citizen TicketInternalService.RecordClockEvent", err, codes.PermissionDenied)
	_, err = notifyv1.NewNotifyInternalServiceClient(s.dial(s.notifyAddr, citizen)).RecordTicketEvent(ctx, &notifyv1.RecordTicketEventRequest{})
	ty.grpc(t, "citizen NotifyInternalService.RecordTicketEvent", err, codes.PermissionDenied)
	report := &notifyv1.SendReportExportRequest{Tenant: "TST", ExportId: "6f0c2d4e-2b1a-4f35-9a59-0d1f3f7c8a11", Recipients: []string{"cfo@tst.test"},
		Subject: "TST report", Body: "attached", FileName: "TST.csv", ContentType: "text/csv", Content: []byte("a,b\n")}
	_, err = notifyv1.NewNotifyInternalServiceClient(s.dial(s.notifyAddr, citizen)).SendReportExport(ctx, report)
	ty.grpc(t, "citizen NotifyInternalService.SendReportExport", err, codes.PermissionDenied)
	// Only the SLA service mails reports: another service's sound token is refused.
	_, err = notifyv1.NewNotifyInternalServiceClient(s.dial(s.notifyAddr, s.token("ticket", "TST", "service"))).SendReportExport(ctx, report)
	ty.grpc(t, "ticket service NotifyInternalService.SendReportExport", err, codes.PermissionDenied)

	changed := changedTables(before, s.snapshot(t))
	line := ty.report(t, "tokens", len(changed))
	require.Empty(t, changed, line)
	require.Zero(t, ty.accepted, line)
}

func TestTheBearerSchemeInAnyCaseIsRateLimitedAlike(t *testing.T) {
	t.Parallel()
	// A client budget of 3 requests that does not refill during the test.
	s := startSuite(t, options{extraEnv: []string{"GATEWAY_TENANT_RATE=0", "GATEWAY_CLIENT_RATE=0.001", "GATEWAY_CLIENT_BURST=3"}})
	var ty tally
	send := func(authorization string) (int, map[string]any) {
		code, body, _ := s.call("GET", "/v1/tickets", "", "", map[string]string{"Authorization": authorization})
		return code, body
	}
	// One client per spelling: the services accept each spelling, so the
	// gateway must charge each to its token's client.
	for i, scheme := range []string{"bearer", "BEARER", "bEaReR", "Bearer"} {
		tok := s.token(fmt.Sprintf("agent-%d", i), "TST", "agent")
		for n := range 5 {
			code, body := send(scheme + " " + tok)
			if n < 3 {
				require.Equal(t, 200, code, "%s request %d is within the budget and accepted: %v", scheme, n, body)
				continue
			}
			ty.http(t, fmt.Sprintf("%s request %d over the client budget", scheme, n), code, body, 429)
		}
	}
	// One client switching spellings shares one budget.
	tok := s.token("agent-switching", "TST", "agent")
	for n, scheme := range []string{"Bearer", "bearer", "BEARER", "bearer", "bEaReR", "Bearer"} {
		code, body := send(scheme + " " + tok)
		if n < 3 {
			require.Equal(t, 200, code, body)
			continue
		}
		ty.http(t, fmt.Sprintf("switching to %s over the client budget", scheme), code, body, 429)
	}
	line := ty.report(t, "bearer scheme", 0)
	require.Zero(t, ty.accepted, line)
}
