package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// tenantPattern is the shape of a Municipal Demarcation Board code.
var tenantPattern = regexp.MustCompile(`^[A-Z0-9]{2,8}$`)

// keyTenant resolves and authorises the tenant an API-key request is about:
// a municipal admin manages their own tenant's keys, a platform admin any.
func keyTenant(v domain.Viewer, tenant string) (string, error) {
	if tenant == "" {
		tenant = v.Tenant
	}
	if !tenantPattern.MatchString(tenant) {
		return "", apperr.Invalid("tenant", "must be a municipality code of 2 to 8 upper-case letters and digits")
	}
	if v.AllTenants() || (v.Has(domain.RoleMunicipalAdmin) && tenant == v.Tenant) {
		return tenant, nil
	}
	return "", apperr.PermissionDenied("API keys are managed by the tenant's municipal admin or a platform admin")
}

// CreateAPIKey issues a key for a client application and returns its record
// and the plaintext key, which is not kept.
func (a *App) CreateAPIKey(ctx context.Context, v domain.Viewer, tenant, clientName string) (domain.APIKey, string, error) {
	if err := requirePublic(v); err != nil {
		return domain.APIKey{}, "", err
	}
	clientName = strings.TrimSpace(clientName)
	if r := domain.TextRule(clientName, domain.MaxReporterField, true); r != "" {
		return domain.APIKey{}, "", apperr.Invalid("client_name", r)
	}
	tenant, err := keyTenant(v, tenant)
	if err != nil {
		return domain.APIKey{}, "", err
	}
	keyID, key, hash, err := domain.NewAPIKeySecret()
	if err != nil {
		return domain.APIKey{}, "", fmt.Errorf("app.CreateAPIKey: %w", err)
	}
	k, err := a.store.CreateAPIKey(ctx, v, domain.APIKey{ID: uuid.NewString(), Tenant: tenant, ClientName: clientName,
		KeyID: keyID, SecretHash: hash, CreatedBy: v.Subject})
	if err != nil {
		return domain.APIKey{}, "", fmt.Errorf("app.CreateAPIKey: %w", err)
	}
	return k, key, nil
}

// ListAPIKeys lists a tenant's keys for its admins.
func (a *App) ListAPIKeys(ctx context.Context, v domain.Viewer, tenant string) ([]domain.APIKey, error) {
	if err := requirePublic(v); err != nil {
		return nil, err
	}
	tenant, err := keyTenant(v, tenant)
	if err != nil {
		return nil, err
	}
	ks, err := a.store.ListAPIKeys(ctx, v, tenant)
	if err != nil {
		return nil, fmt.Errorf("app.ListAPIKeys: %w", err)
	}
	return ks, nil
}

// RevokeAPIKey revokes a key of the admin's tenant (any tenant for platform
// admins); another tenant's key reads as NotFound.
func (a *App) RevokeAPIKey(ctx context.Context, v domain.Viewer, id string) (domain.APIKey, error) {
	if err := requirePublic(v); err != nil {
		return domain.APIKey{}, err
	}
	if err := checkID(id, "id"); err != nil {
		return domain.APIKey{}, err
	}
	if !v.AllTenants() && !v.Has(domain.RoleMunicipalAdmin) {
		return domain.APIKey{}, apperr.PermissionDenied("API keys are managed by the tenant's municipal admin or a platform admin")
	}
	k, err := a.store.RevokeAPIKey(ctx, v, id)
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("app.RevokeAPIKey: %w", err)
	}
	return k, nil
}

// VerifyAPIKey checks a presented key (internal RPC).
func (a *App) VerifyAPIKey(ctx context.Context, v domain.Viewer, key string) (domain.APIKey, error) {
	if err := requireService(v); err != nil {
		return domain.APIKey{}, err
	}
	keyID, hash, ok := domain.ParseAPIKey(strings.TrimSpace(key))
	if !ok {
		return domain.APIKey{}, apperr.PermissionDenied("invalid api_key")
	}
	k, err := a.store.VerifyAPIKey(ctx, v, keyID, hash)
	if err != nil {
		return domain.APIKey{}, fmt.Errorf("app.VerifyAPIKey: %w", err)
	}
	return k, nil
}
