package server

import (
	"context"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// CreateApiKey implements TicketService.
func (s *Server) CreateApiKey(ctx context.Context, req *ticketv1.CreateApiKeyRequest) (*ticketv1.CreateApiKeyResponse, error) {
	k, key, err := s.app.CreateAPIKey(ctx, req.GetTenant(), req.GetClientName())
	if err != nil {
		return nil, err
	}
	return &ticketv1.CreateApiKeyResponse{ApiKey: apiKeyOut(k), Key: key}, nil
}

// ListApiKeys implements TicketService.
func (s *Server) ListApiKeys(ctx context.Context, req *ticketv1.ListApiKeysRequest) (*ticketv1.ListApiKeysResponse, error) {
	ks, err := s.app.ListAPIKeys(ctx, req.GetTenant())
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
	k, err := s.app.RevokeAPIKey(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &ticketv1.RevokeApiKeyResponse{ApiKey: apiKeyOut(k)}, nil
}

// VerifyApiKey implements TicketInternalService.
func (s *Server) VerifyApiKey(ctx context.Context, req *ticketv1.VerifyApiKeyRequest) (*ticketv1.VerifyApiKeyResponse, error) {
	k, err := s.app.VerifyAPIKey(ctx, req.GetKey())
	if err != nil {
		return nil, err
	}
	return &ticketv1.VerifyApiKeyResponse{Tenant: k.Tenant, ClientId: k.ID, ClientName: k.ClientName}, nil
}
