package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Limits of the public (Open311) RPCs.
const (
	// MaxPublicPage is the most public tickets one call returns; Open311
	// asks for at most 1000 requests by default.
	MaxPublicPage = 1000
	// MaxMediaURL bounds a report's media URL.
	MaxMediaURL = 2000
	// maxAttributes bounds how many attribute answers a report may carry.
	maxAttributes = 20
)

// ListPublicTickets lists public tickets of one tenant (internal RPC).
func (a *App) ListPublicTickets(ctx context.Context, v domain.Viewer, f domain.PublicFilter) ([]domain.PublicTicket, bool, error) {
	if err := requireService(v); err != nil {
		return nil, false, err
	}
	var vs []apperr.FieldViolation
	add := func(field, rule string) { vs = append(vs, apperr.FieldViolation{Field: field, Rule: rule}) }
	if f.Tenant == "" {
		add("tenant", "is required")
	}
	if len(f.IDs) > MaxPublicPage {
		add("ids", fmt.Sprintf("must list at most %d ids", MaxPublicPage))
	}
	for _, id := range f.IDs {
		if checkID(id, "ids") != nil {
			add("ids", "must contain only UUIDs")
			break
		}
	}
	if f.Limit < 0 || f.Limit > MaxPublicPage {
		add("page_size", fmt.Sprintf("must be between 0 and %d", MaxPublicPage))
	}
	if f.Offset < 0 {
		add("offset", "must not be negative")
	}
	if c := f.Near; c != nil {
		vs = append(vs, domain.PointViolations(c.Center, "near.center", false)...)
		if !(c.Meters > 0 && c.Meters <= domain.MaxRadiusMeters) {
			add("near.radius_meters", fmt.Sprintf("must be greater than 0 and at most %d", domain.MaxRadiusMeters))
		}
	}
	if len(vs) > 0 {
		return nil, false, apperr.InvalidFields(vs...)
	}
	if f.Limit == 0 {
		f.Limit = MaxPublicPage
	}
	ts, more, err := a.store.ListPublic(ctx, v, f)
	if err != nil {
		return nil, false, fmt.Errorf("app.ListPublicTickets: %w", err)
	}
	return ts, more, nil
}

// GetPublicTicket returns one public ticket (internal RPC); a GBV ticket is
// NotFound like a missing one, so its existence is not revealed either.
func (a *App) GetPublicTicket(ctx context.Context, v domain.Viewer, tenant, id string, withNotes bool) (domain.PublicTicket, error) {
	if err := checkID(id, "id"); err != nil {
		return domain.PublicTicket{}, err
	}
	ts, _, err := a.ListPublicTickets(ctx, v, domain.PublicFilter{Tenant: tenant, IDs: []string{id}, Limit: 1, WithNotes: withNotes})
	if err != nil {
		return domain.PublicTicket{}, err
	}
	if len(ts) == 0 {
		return domain.PublicTicket{}, apperr.NotFound("ticket")
	}
	return ts[0], nil
}

// SubmitPublicReport files a report for an API client (internal RPC). It is
// created like any citizen report, by the subject `open311:<client id>`, so
// routing, clocks and GBV sealing are exactly those of CreateTicket.
func (a *App) SubmitPublicReport(ctx context.Context, v domain.Viewer, r domain.PublicReport) (domain.Ticket, error) {
	if err := requireService(v); err != nil {
		return domain.Ticket{}, err
	}
	var vs []apperr.FieldViolation
	if r.Tenant == "" {
		vs = append(vs, apperr.FieldViolation{Field: "tenant", Rule: "is required"})
	}
	if checkID(r.ClientID, "client_id") != nil {
		vs = append(vs, apperr.FieldViolation{Field: "client_id", Rule: "must be a UUID"})
	}
	if rule := mediaURLRule(r.MediaURL); rule != "" {
		vs = append(vs, apperr.FieldViolation{Field: "media_url", Rule: rule})
	}
	vs = append(vs, attributeViolations(r.Attributes)...)
	var ae *apperr.Error
	if err := r.Validate(); errors.As(err, &ae) {
		vs = append(vs, ae.Violations()...)
	} else if err != nil {
		return domain.Ticket{}, fmt.Errorf("app.SubmitPublicReport: %w", err)
	}
	if len(vs) > 0 {
		return domain.Ticket{}, apperr.InvalidFields(vs...)
	}
	r.Channel = "open311"
	if r.Category == domain.CategoryGBV {
		r.Description = foldIntoDescription(r)
		r.MediaURL, r.Attributes = "", nil
	}
	reporter := domain.Viewer{Subject: "open311:" + r.ClientID, Tenant: r.Tenant, Roles: []string{domain.RoleCitizen}}
	t, _, err := a.store.SubmitPublic(ctx, reporter, r, a.events.TicketCreated)
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("app.SubmitPublicReport: %w", err)
	}
	return t, nil
}

// mediaURLRule returns the rule a media URL breaks, or "".
func mediaURLRule(s string) string {
	if s == "" {
		return ""
	}
	if r := domain.TextRule(s, MaxMediaURL, false); r != "" {
		return r
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http or https URL"
	}
	return ""
}

// attributeViolations checks attribute answers: few, short codes and values.
func attributeViolations(attrs map[string]string) []apperr.FieldViolation {
	if len(attrs) > maxAttributes {
		return []apperr.FieldViolation{{Field: "attributes", Rule: fmt.Sprintf("must have at most %d entries", maxAttributes)}}
	}
	var vs []apperr.FieldViolation
	for k, val := range attrs {
		if r := domain.TextRule(k, 64, true); r != "" {
			vs = append(vs, apperr.FieldViolation{Field: "attributes", Rule: "codes " + r})
		}
		if r := domain.TextRule(val, domain.MaxReporterField, false); r != "" {
			vs = append(vs, apperr.FieldViolation{Field: "attributes[" + k + "]", Rule: r})
		}
	}
	return vs
}

// foldIntoDescription appends a GBV report's media URL and attributes to its
// description, which is sealed: no GBV content may sit in plaintext columns.
func foldIntoDescription(r domain.PublicReport) string {
	var b strings.Builder
	b.WriteString(r.Description)
	if r.MediaURL != "" {
		b.WriteString("\n\nmedia_url: " + r.MediaURL)
	}
	keys := make([]string, 0, len(r.Attributes))
	for k := range r.Attributes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString("\n" + k + ": " + r.Attributes[k])
	}
	return b.String()
}
