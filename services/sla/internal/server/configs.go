package server

import (
	"context"

	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// CreateSlaConfig implements SlaService.
func (s *Server) CreateSlaConfig(ctx context.Context, req *slav1.CreateSlaConfigRequest) (*slav1.CreateSlaConfigResponse, error) {
	cat, ok := vocab.Optional(req.GetConfig().GetCategory())
	if !ok {
		return nil, apperr.Invalid("config.category", "must be a known category or unspecified for the global default")
	}
	if _, ok := vocab.Optional(req.GetConfig().GetPriority()); !ok {
		return nil, apperr.Invalid("config.priority", "must be one of PRIORITY_P1_CRITICAL to PRIORITY_P4_LOW, or unspecified for every priority")
	}
	out, err := s.app.CreateSlaConfig(ctx, configIn(req.GetConfig(), cat))
	if err != nil {
		return nil, err
	}
	return &slav1.CreateSlaConfigResponse{Config: configOut(out)}, nil
}

// UpdateSlaConfig implements SlaService. The category is the policy's
// identity, not a field an update changes, so its value is not read.
func (s *Server) UpdateSlaConfig(ctx context.Context, req *slav1.UpdateSlaConfigRequest) (*slav1.UpdateSlaConfigResponse, error) {
	out, n, err := s.app.UpdateSlaConfig(ctx, domain.ConfigUpdate{ID: req.GetId(), Paths: req.GetUpdateMask().GetPaths(),
		Values: configIn(req.GetConfig(), "")})
	if err != nil {
		return nil, err
	}
	return &slav1.UpdateSlaConfigResponse{Config: configOut(out), ClocksRecomputed: int32(n)}, nil
}

// DeleteSlaConfig implements SlaService.
func (s *Server) DeleteSlaConfig(ctx context.Context, req *slav1.DeleteSlaConfigRequest) (*slav1.DeleteSlaConfigResponse, error) {
	n, err := s.app.DeleteSlaConfig(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &slav1.DeleteSlaConfigResponse{ClocksRecomputed: int32(n)}, nil
}

// GetSlaConfig implements SlaService.
func (s *Server) GetSlaConfig(ctx context.Context, req *slav1.GetSlaConfigRequest) (*slav1.GetSlaConfigResponse, error) {
	c, err := s.app.GetSlaConfig(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &slav1.GetSlaConfigResponse{Config: configOut(c)}, nil
}

// ListSlaConfigs implements SlaService.
func (s *Server) ListSlaConfigs(ctx context.Context, req *slav1.ListSlaConfigsRequest) (*slav1.ListSlaConfigsResponse, error) {
	cs, err := s.app.ListSlaConfigs(ctx, req.GetMunicipality(), req.GetIncludeDefaults())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListSlaConfigsResponse{}
	for _, c := range cs {
		out.Configs = append(out.Configs, configOut(c))
	}
	return out, nil
}

// ListSlaConfigChanges implements SlaService.
func (s *Server) ListSlaConfigChanges(ctx context.Context, req *slav1.ListSlaConfigChangesRequest) (*slav1.ListSlaConfigChangesResponse, error) {
	chs, err := s.app.ListSlaConfigChanges(ctx, req.GetConfigId())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListSlaConfigChangesResponse{}
	for _, c := range chs {
		out.Changes = append(out.Changes, &slav1.ConfigChange{ConfigId: c.ConfigID, Version: c.Version, ChangedBy: c.ChangedBy,
			Action: c.Action, ClocksRecomputed: int32(c.ClocksRecomputed), CreateTime: ts(c.CreateTime)})
	}
	return out, nil
}

// ListSlaConfigVersions implements SlaService.
func (s *Server) ListSlaConfigVersions(ctx context.Context, req *slav1.ListSlaConfigVersionsRequest) (*slav1.ListSlaConfigVersionsResponse, error) {
	vs, err := s.app.ListSlaConfigVersions(ctx, req.GetConfigId())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListSlaConfigVersionsResponse{}
	for _, v := range vs {
		out.Versions = append(out.Versions, &slav1.SlaConfigVersion{Config: configOut(v.Config),
			EffectiveTime: ts(v.EffectiveFrom), Deleted: v.Deleted, ChangedBy: v.Config.UpdatedBy})
	}
	return out, nil
}

// ResolveSlaPolicy implements SlaService. An undefined category maps to
// no word, which the use case refuses as a missing one.
func (s *Server) ResolveSlaPolicy(ctx context.Context, req *slav1.ResolveSlaPolicyRequest) (*slav1.ResolveSlaPolicyResponse, error) {
	p, err := s.app.ResolveSlaPolicy(ctx, domain.PolicyQuery{Municipality: req.GetMunicipality(), Category: vocab.Word(req.GetCategory()),
		Priority: vocab.Word(req.GetPriority())})
	if err != nil {
		return nil, err
	}
	return &slav1.ResolveSlaPolicyResponse{Config: configOut(p.Config), Matched: p.Matched}, nil
}
