package server

import (
	"context"
	"fmt"
	"math"
	"slices"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	slav1 "github.com/salga/trustengine/gen/go/salga/sla/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/services/sla/internal/domain"
)

// validateConfig checks a policy's values and returns every violation.
func validateConfig(c domain.Config, pauses []commonv1.TicketStatus) []apperr.FieldViolation {
	var vs []apperr.FieldViolation
	bad := func(f, r string) { vs = append(vs, apperr.FieldViolation{Field: "config." + f, Rule: r}) }
	if c.Municipality != "" && !municipalityCode.MatchString(c.Municipality) {
		bad("municipality", "must be empty or a municipality code such as CPT")
	}
	hours := func(f string, h float64) {
		if math.IsNaN(h) || h <= 0 || h > domain.MaxHours {
			bad(f, "must be greater than 0 and at most 8760")
		}
	}
	hours("response_hours", c.ResponseHours)
	hours("resolution_hours", c.ResolutionHours)
	if c.WarningPct < 1 || c.WarningPct > 99 {
		bad("warning_threshold_pct", "must be between 1 and 99")
	}
	if c.CalendarID != "" && requireUUID("", c.CalendarID) != nil {
		bad("calendar_id", "must be empty or a calendar UUID")
	}
	for i, s := range pauses {
		if _, ok := commonv1.TicketStatus_name[int32(s)]; !ok || s == commonv1.TicketStatus_TICKET_STATUS_UNSPECIFIED ||
			slices.Contains([]string{domain.StatusResolved, domain.StatusClosed, domain.StatusCancelled}, statusName(s)) {
			bad(fmt.Sprintf("pause_statuses[%d]", i), "must be an open status (open, in_progress, awaiting_citizen)")
		}
	}
	return vs
}

func pauseNames(ps []commonv1.TicketStatus) []string {
	out := make([]string, 0, len(ps))
	for _, s := range ps {
		out = append(out, statusName(s))
	}
	return out
}

// CreateSlaConfig implements SlaService.CreateSlaConfig (platform admins).
func (s *Public) CreateSlaConfig(ctx context.Context, req *slav1.CreateSlaConfigRequest) (*slav1.CreateSlaConfigResponse, error) {
	_, scope, err := caller(ctx, auth.RolePlatformAdmin)
	if err != nil {
		return nil, err
	}
	in := req.GetConfig()
	if _, ok := commonv1.Category_name[int32(in.GetCategory())]; !ok {
		return nil, apperr.Invalid("config.category", "must be a known category or unspecified for the global default")
	}
	cat := categoryName(in.GetCategory())
	def := domain.BuiltInConfig(cat)
	c := domain.Config{Municipality: in.GetMunicipality(), Category: cat, ResponseHours: in.GetResponseHours(),
		ResolutionHours: in.GetResolutionHours(), WarningPct: int(in.GetWarningThresholdPct()), CalendarID: in.GetCalendarId(),
		PauseStatuses: pauseNames(in.GetPauseStatuses())}
	if c.ResponseHours == 0 {
		c.ResponseHours = def.ResponseHours
	}
	if c.ResolutionHours == 0 {
		c.ResolutionHours = def.ResolutionHours
	}
	if c.WarningPct == 0 {
		c.WarningPct = def.WarningPct
	}
	if len(in.GetPauseStatuses()) == 0 && cat != domain.CategoryGBV {
		c.PauseStatuses = []string{domain.DefaultPauseStatus}
	}
	if vs := validateConfig(c, in.GetPauseStatuses()); len(vs) > 0 {
		return nil, apperr.InvalidFields(vs...)
	}
	out, err := s.app.CreateConfig(ctx, scope, c)
	if err != nil {
		return nil, err
	}
	return &slav1.CreateSlaConfigResponse{Config: configPB(out)}, nil
}

// UpdateSlaConfig implements SlaService.UpdateSlaConfig (platform admins).
func (s *Public) UpdateSlaConfig(ctx context.Context, req *slav1.UpdateSlaConfigRequest) (*slav1.UpdateSlaConfigResponse, error) {
	_, scope, err := caller(ctx, auth.RolePlatformAdmin)
	if err != nil {
		return nil, err
	}
	in := req.GetConfig()
	id, err := pathID(req.GetId(), in.GetId(), "id", "config.id")
	if err != nil {
		return nil, err
	}
	if err := requireUUID("id", id); err != nil {
		return nil, err
	}
	paths := req.GetUpdateMask().GetPaths()
	if len(paths) == 0 {
		return nil, apperr.Invalid("update_mask", "must list the fields to change")
	}
	allowed := []string{"response_hours", "resolution_hours", "warning_threshold_pct", "calendar_id", "pause_statuses"}
	for _, p := range paths {
		if !slices.Contains(allowed, p) {
			return nil, apperr.Invalid("update_mask", "may only name response_hours, resolution_hours, warning_threshold_pct, calendar_id, pause_statuses")
		}
	}
	out, n, err := s.app.UpdateConfig(ctx, scope, id, func(c *domain.Config) error {
		pauses := make([]commonv1.TicketStatus, 0)
		for _, p := range paths {
			switch p {
			case "response_hours":
				c.ResponseHours = in.GetResponseHours()
			case "resolution_hours":
				c.ResolutionHours = in.GetResolutionHours()
			case "warning_threshold_pct":
				c.WarningPct = int(in.GetWarningThresholdPct())
			case "calendar_id":
				c.CalendarID = in.GetCalendarId()
			case "pause_statuses":
				pauses = in.GetPauseStatuses()
				c.PauseStatuses = pauseNames(pauses)
			}
		}
		if vs := validateConfig(*c, pauses); len(vs) > 0 {
			return apperr.InvalidFields(vs...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &slav1.UpdateSlaConfigResponse{Config: configPB(out), ClocksRecomputed: int32(n)}, nil
}

// DeleteSlaConfig implements SlaService.DeleteSlaConfig (platform admins).
func (s *Public) DeleteSlaConfig(ctx context.Context, req *slav1.DeleteSlaConfigRequest) (*slav1.DeleteSlaConfigResponse, error) {
	_, scope, err := caller(ctx, auth.RolePlatformAdmin)
	if err != nil {
		return nil, err
	}
	if err := requireUUID("id", req.GetId()); err != nil {
		return nil, err
	}
	n, err := s.app.DeleteConfig(ctx, scope, req.GetId())
	if err != nil {
		return nil, err
	}
	return &slav1.DeleteSlaConfigResponse{ClocksRecomputed: int32(n)}, nil
}

// GetSlaConfig implements SlaService.GetSlaConfig (staff).
func (s *Public) GetSlaConfig(ctx context.Context, req *slav1.GetSlaConfigRequest) (*slav1.GetSlaConfigResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if err := requireUUID("id", req.GetId()); err != nil {
		return nil, err
	}
	c, err := s.app.GetConfig(ctx, scope, req.GetId())
	if err != nil {
		return nil, err
	}
	return &slav1.GetSlaConfigResponse{Config: configPB(c)}, nil
}

// ListSlaConfigs implements SlaService.ListSlaConfigs (staff).
func (s *Public) ListSlaConfigs(ctx context.Context, req *slav1.ListSlaConfigsRequest) (*slav1.ListSlaConfigsResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if m := req.GetMunicipality(); m != "" && !municipalityCode.MatchString(m) {
		return nil, apperr.Invalid("municipality", "must be empty or a municipality code such as CPT")
	}
	cs, err := s.app.ListConfigs(ctx, scope, req.GetMunicipality(), req.GetIncludeDefaults())
	if err != nil {
		return nil, err
	}
	out := &slav1.ListSlaConfigsResponse{}
	for _, c := range cs {
		out.Configs = append(out.Configs, configPB(c))
	}
	return out, nil
}

// ListSlaConfigChanges implements SlaService.ListSlaConfigChanges (staff).
func (s *Public) ListSlaConfigChanges(ctx context.Context, req *slav1.ListSlaConfigChangesRequest) (*slav1.ListSlaConfigChangesResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if id := req.GetConfigId(); id != "" {
		if err := requireUUID("config_id", id); err != nil {
			return nil, err
		}
	}
	chs, err := s.app.ListConfigChanges(ctx, scope, req.GetConfigId())
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

// ResolveSlaPolicy implements SlaService.ResolveSlaPolicy (staff).
func (s *Public) ResolveSlaPolicy(ctx context.Context, req *slav1.ResolveSlaPolicyRequest) (*slav1.ResolveSlaPolicyResponse, error) {
	_, scope, err := caller(ctx, staffRoles...)
	if err != nil {
		return nil, err
	}
	if !municipalityCode.MatchString(req.GetMunicipality()) {
		return nil, apperr.Invalid("municipality", "must be a municipality code such as CPT")
	}
	if _, ok := commonv1.Category_name[int32(req.GetCategory())]; !ok || req.GetCategory() == commonv1.Category_CATEGORY_UNSPECIFIED {
		return nil, apperr.Invalid("category", "must be a known category")
	}
	p, err := s.app.ResolvePolicy(ctx, scope, req.GetMunicipality(), categoryName(req.GetCategory()))
	if err != nil {
		return nil, err
	}
	return &slav1.ResolveSlaPolicyResponse{Config: configPB(p.Config), Matched: p.Matched}, nil
}

// pathID picks the id of the resource an Update names: the top-level field
// filled from the URL path, else the id inside the resource. Both set and
// different is refused, so a body cannot redirect an update elsewhere.
func pathID(top, inner, topField, innerField string) (string, error) {
	switch {
	case top == "":
		return inner, nil
	case inner == "" || inner == top:
		return top, nil
	default:
		return "", apperr.Invalid(innerField, "must be empty or equal "+topField)
	}
}
