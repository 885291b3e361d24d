package server

import (
	"context"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// CreateApiKey implements TicketService.
func (s *Server) CreateApiKey(ctx context.Context, req *ticketv1.CreateApiKeyRequest) (*ticketv1.CreateApiKeyResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	k, key, err := s.app.CreateAPIKey(ctx, v, req.GetTenant(), req.GetClientName())
	if err != nil {
		return nil, err
	}
	return &ticketv1.CreateApiKeyResponse{ApiKey: apiKeyOut(k), Key: key}, nil
}

// ListApiKeys implements TicketService.
func (s *Server) ListApiKeys(ctx context.Context, req *ticketv1.ListApiKeysRequest) (*ticketv1.ListApiKeysResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ks, err := s.app.ListAPIKeys(ctx, v, req.GetTenant())
	if err != nil {
		return nil, err
	}
	out := &ticketv1.ListApiKeysResponse{}
	for _, k := range ks {
		out.ApiKeys = append(out.ApiKeys, apiKeyOut(k))
	}
	return out, nil
}

// RevokeApiKey implements TicketService.
func (s *Server) RevokeApiKey(ctx context.Context, req *ticketv1.RevokeApiKeyRequest) (*ticketv1.RevokeApiKeyResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	k, err := s.app.RevokeAPIKey(ctx, v, req.GetId())
	if err != nil {
		return nil, err
	}
	return &ticketv1.RevokeApiKeyResponse{ApiKey: apiKeyOut(k)}, nil
}

// VerifyApiKey implements TicketInternalService.
func (s *Server) VerifyApiKey(ctx context.Context, req *ticketv1.VerifyApiKeyRequest) (*ticketv1.VerifyApiKeyResponse, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	k, err := s.app.VerifyAPIKey(ctx, v, req.GetKey())
	if err != nil {
		return nil, err
	}
	return &ticketv1.VerifyApiKeyResponse{Tenant: k.Tenant, ClientId: k.ID, ClientName: k.ClientName}, nil
}

// apiKeyOut maps a key without its hash: secrets never leave the service.
func apiKeyOut(k domain.APIKey) *ticketv1.ApiKey {
	return &ticketv1.ApiKey{Id: k.ID, Tenant: k.Tenant, ClientName: k.ClientName, Prefix: k.Prefix(),
		CreatedBy: k.CreatedBy, CreateTime: ts(&k.CreateTime), RevokeTime: ts(k.RevokeTime)}
}
