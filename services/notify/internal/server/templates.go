package server

import (
	"context"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// templateIn maps a template, naming a bad enum.
func templateIn(t *notifyv1.Template) (domain.Template, error) {
	var bad error
	get := func(w string, err error) string {
		if bad == nil {
			bad = err
		}
		return w
	}
	out := domain.Template{Tenant: t.GetTenant(), Subject: t.GetSubject(), Body: t.GetBody(),
		Category: get(enumIn(t.GetCategory(), "template.category")), Audience: domain.Audience(get(enumIn(t.GetAudience(), "template.audience"))),
		Kind: domain.Kind(get(enumIn(t.GetEventKind(), "template.event_kind"))), Language: domain.Language(get(enumIn(t.GetLanguage(), "template.language")))}
	return out, bad
}

// templateOut maps a template back.
func templateOut(t domain.Template) *notifyv1.Template {
	return &notifyv1.Template{Id: t.ID, Tenant: t.Tenant, Category: vocab.MustParse[commonv1.Category](t.Category),
		Audience: vocab.MustParse[notifyv1.Audience](string(t.Audience)), EventKind: vocab.MustParse[notifyv1.EventKind](string(t.Kind)),
		Language: languageOut(t.Language), Subject: t.Subject, Body: t.Body, CreateTime: ts(&t.Create), UpdateTime: ts(&t.Update),
		UpdatedBy: t.UpdatedBy}
}

// CreateTemplate implements NotifyService.
func (s *Server) CreateTemplate(ctx context.Context, req *notifyv1.CreateTemplateRequest) (*notifyv1.CreateTemplateResponse, error) {
	t, err := templateIn(req.GetTemplate())
	if err != nil {
		return nil, err
	}
	if t, err = s.app.CreateTemplate(ctx, t); err != nil {
		return nil, err
	}
	return &notifyv1.CreateTemplateResponse{Template: templateOut(t)}, nil
}

// UpdateTemplate implements NotifyService.
func (s *Server) UpdateTemplate(ctx context.Context, req *notifyv1.UpdateTemplateRequest) (*notifyv1.UpdateTemplateResponse, error) {
	t, err := s.app.UpdateTemplate(ctx, req.GetId(), domain.Template{Subject: req.GetTemplate().GetSubject(), Body: req.GetTemplate().GetBody()})
	if err != nil {
		return nil, err
	}
	return &notifyv1.UpdateTemplateResponse{Template: templateOut(t)}, nil
}

// DeleteTemplate implements NotifyService.
func (s *Server) DeleteTemplate(ctx context.Context, req *notifyv1.DeleteTemplateRequest) (*notifyv1.DeleteTemplateResponse, error) {
	if err := s.app.DeleteTemplate(ctx, req.GetId()); err != nil {
		return nil, err
	}
	return &notifyv1.DeleteTemplateResponse{}, nil
}

// ListTemplates implements NotifyService.
func (s *Server) ListTemplates(ctx context.Context, req *notifyv1.ListTemplatesRequest) (*notifyv1.ListTemplatesResponse, error) {
	ts, err := s.app.ListTemplates(ctx, req.GetTenant(), req.GetIncludeDefaults())
	if err != nil {
		return nil, err
	}
	out := &notifyv1.ListTemplatesResponse{}
	for _, t := range ts {
		out.Templates = append(out.Templates, templateOut(t))
	}
	return out, nil
}

// PreviewTemplate implements NotifyService.
func (s *Server) PreviewTemplate(ctx context.Context, req *notifyv1.PreviewTemplateRequest) (*notifyv1.PreviewTemplateResponse, error) {
	var t domain.Template
	if req.GetId() == "" {
		var err error
		if t, err = templateIn(req.GetTemplate()); err != nil {
			return nil, err
		}
	}
	subject, body, err := s.app.PreviewTemplate(ctx, req.GetId(), t)
	if err != nil {
		return nil, err
	}
	return &notifyv1.PreviewTemplateResponse{Subject: subject, Body: body}, nil
}
