package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/gateway/internal/httpapi"
)

func TestRequestsOverABudgetGet429WithRetryAfter(t *testing.T) {
	t.Parallel()
	secret := []byte("rate-secret")
	// No backend is reachable: requests inside the budget fail with 503,
	// which is enough to tell them from refused ones.
	cc, err := grpc.NewClient("127.0.0.1:1", grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	h, err := httpapi.New(context.Background(), httpapi.Backends{Ticket: cc, Routing: cc, SLA: cc, Notify: cc}, httpapi.Options{
		RateLimit: httpapi.RateLimit{TenantPerSecond: 1, TenantBurst: 5, ClientPerSecond: 0.5, ClientBurst: 3,
			Verifier: auth.NewHS256Verifier(secret)},
	})
	require.NoError(t, err)
	token := func(sub, tenant string) string {
		tok, err := auth.MintHS256(secret, auth.Claims{Subject: sub, Tenant: tenant, Roles: []string{"agent"}}, time.Hour)
		require.NoError(t, err)
		return tok
	}
	get := func(tok, addr string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/v1/tickets/x", nil)
		req.RemoteAddr = addr
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		return rr
	}

	alice, bob, carol := token("alice", "CPT"), token("bob", "CPT"), token("dave", "JHB")
	for i := range 3 {
		require.NotEqual(t, 429, get(alice, "10.0.0.1:1").Code, "alice request %d is within her burst", i)
	}
	rr := get(alice, "10.0.0.1:1")
	require.Equal(t, 429, rr.Code, "a client over its burst is refused")
	secs, err := strconv.Atoi(rr.Header().Get("Retry-After"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, secs, 1)
	require.Contains(t, rr.Body.String(), "RESOURCE_EXHAUSTED")

	require.NotEqual(t, 429, get(bob, "10.0.0.2:1").Code, "another client of the tenant still has budget")
	require.NotEqual(t, 429, get(bob, "10.0.0.2:1").Code)
	require.Equal(t, 429, get(bob, "10.0.0.2:1").Code, "the tenant's burst of 5 is spent")
	require.NotEqual(t, 429, get(carol, "10.0.0.3:1").Code, "another tenant is not affected")

	for range 3 {
		require.NotEqual(t, 429, get("", "10.0.0.9:1").Code)
	}
	require.Equal(t, 429, get("", "10.0.0.9:1").Code, "anonymous callers are limited by address")
	require.NotEqual(t, 429, get("", "10.0.0.8:1").Code)
}

func TestTheBearerSchemeInAnyCaseIsChargedToTheTokensClient(t *testing.T) {
	t.Parallel()
	secret := []byte("rate-secret")
	cc, err := grpc.NewClient("127.0.0.1:1", grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	h, err := httpapi.New(context.Background(), httpapi.Backends{Ticket: cc, Routing: cc, SLA: cc, Notify: cc}, httpapi.Options{
		RateLimit: httpapi.RateLimit{ClientPerSecond: 0.01, ClientBurst: 3, Verifier: auth.NewHS256Verifier(secret)},
	})
	require.NoError(t, err)
	tok, err := auth.MintHS256(secret, auth.Claims{Subject: "alice", Tenant: "CPT", Roles: []string{"agent"}}, time.Hour)
	require.NoError(t, err)
	get := func(authorization, addr string) int {
		req := httptest.NewRequest(http.MethodGet, "/v1/tickets/x", nil)
		req.RemoteAddr = addr
		req.Header.Set("Authorization", authorization)
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		return rr.Code
	}
	// Each spelling from its own address: were the scheme read only as
	// "Bearer", the others would count against their addresses instead.
	schemes := []string{"bearer", "BEARER", "bEaReR", "Bearer", "bearer"}
	for i, scheme := range schemes {
		code := get(scheme+" "+tok, "10.1.0."+strconv.Itoa(i)+":1")
		if i < 3 {
			require.NotEqual(t, 429, code, "request %d (%s) is within alice's burst", i, scheme)
		} else {
			require.Equal(t, 429, code, "request %d (%s) is over alice's burst", i, scheme)
		}
	}
}
