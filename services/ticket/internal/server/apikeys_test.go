package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/libs/auth"
)

func TestAPIKeysAreIssuedListedVerifiedAndRevoked(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cptAdmin := as(t, "CPT", "admin-cpt", auth.RoleMunicipalAdmin)
	created, err := h.public.CreateApiKey(cptAdmin, &ticketv1.CreateApiKeyRequest{ClientName: "FixMyStreet ZA"})
	require.NoError(t, err)
	key := created.GetKey()
	require.Regexp(t, `^te_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$`, key)
	require.Equal(t, "CPT", created.GetApiKey().GetTenant())
	require.Equal(t, key[:15], created.GetApiKey().GetPrefix())

	t.Run("the secret is stored only as a hash", func(t *testing.T) {
		require.Equal(t, 0, h.count(t, `SELECT count(*) FROM ticket.api_keys WHERE position($1::bytea in secret_hash) > 0`, []byte(key[16:])))
		require.Equal(t, 1, h.count(t, `SELECT count(*) FROM ticket.api_keys WHERE length(secret_hash) = 32`))
	})
	t.Run("a list shows the key without its secret", func(t *testing.T) {
		resp, err := h.public.ListApiKeys(cptAdmin, &ticketv1.ListApiKeysRequest{})
		require.NoError(t, err)
		require.Len(t, resp.GetApiKeys(), 1)
		require.NotContains(t, resp.String(), key[16:])
	})
	t.Run("the key verifies to its tenant and client", func(t *testing.T) {
		resp, err := h.internal.VerifyApiKey(service(t), &ticketv1.VerifyApiKeyRequest{Key: key})
		require.NoError(t, err)
		require.Equal(t, "CPT", resp.GetTenant())
		require.Equal(t, created.GetApiKey().GetId(), resp.GetClientId())
		require.Equal(t, "FixMyStreet ZA", resp.GetClientName())
	})
	denied := []struct{ name, key string }{
		{"a malformed key is refused", "not-a-key"},
		{"a key with a wrong secret is refused", key[:16] + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"an unknown key id is refused", "te_000000000000" + key[15:]},
	}
	for _, tt := range denied {
		t.Run(tt.name, func(t *testing.T) {
			_, err := h.internal.VerifyApiKey(service(t), &ticketv1.VerifyApiKeyRequest{Key: tt.key})
			require.Equal(t, codes.PermissionDenied, status.Code(err))
		})
	}
	t.Run("only admins of the tenant or platform admins manage keys", func(t *testing.T) {
		_, err := h.public.CreateApiKey(agent(t, "CPT"), &ticketv1.CreateApiKeyRequest{ClientName: "x"})
		require.Equal(t, codes.PermissionDenied, status.Code(err))
		_, err = h.public.CreateApiKey(cptAdmin, &ticketv1.CreateApiKeyRequest{Tenant: "JHB", ClientName: "x"})
		require.Equal(t, codes.PermissionDenied, status.Code(err))
		_, err = h.public.CreateApiKey(admin(t), &ticketv1.CreateApiKeyRequest{Tenant: "JHB", ClientName: "x"})
		require.NoError(t, err)
		_, err = h.public.RevokeApiKey(as(t, "JHB", "admin-jhb", auth.RoleMunicipalAdmin), &ticketv1.RevokeApiKeyRequest{Id: created.GetApiKey().GetId()})
		require.Equal(t, codes.NotFound, status.Code(err))
	})
	t.Run("a key without a client name is refused naming the field", func(t *testing.T) {
		_, err := h.public.CreateApiKey(cptAdmin, &ticketv1.CreateApiKeyRequest{})
		require.Equal(t, codes.InvalidArgument, status.Code(err))
		require.Contains(t, status.Convert(err).Message(), "client_name")
	})
	t.Run("a revoked key no longer verifies", func(t *testing.T) {
		resp, err := h.public.RevokeApiKey(cptAdmin, &ticketv1.RevokeApiKeyRequest{Id: created.GetApiKey().GetId()})
		require.NoError(t, err)
		require.NotNil(t, resp.GetApiKey().GetRevokeTime())
		_, err = h.internal.VerifyApiKey(service(t), &ticketv1.VerifyApiKeyRequest{Key: key})
		require.Equal(t, codes.PermissionDenied, status.Code(err))
	})
	t.Run("verifying needs the service role", func(t *testing.T) {
		_, err := h.internal.VerifyApiKey(cptAdmin, &ticketv1.VerifyApiKeyRequest{Key: key})
		require.Equal(t, codes.PermissionDenied, status.Code(err))
	})
}
