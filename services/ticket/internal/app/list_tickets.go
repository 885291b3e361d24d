package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Page sizes of ListTickets.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// ListRequest is a ListTickets query.
type ListRequest struct {
	Filter    domain.Filter
	PageSize  int
	PageToken string
}

// ListTickets returns one page of the tickets the viewer may see that match
// the filter, and the token of the next page ("" on the last).
func (a *App) ListTickets(ctx context.Context, v domain.Viewer, r ListRequest) ([]domain.Ticket, string, error) {
	if err := requirePublic(v); err != nil {
		return nil, "", err
	}
	f := r.Filter
	if f.Tenant == "" && !v.AllTenants() {
		f.Tenant = v.Tenant
	}
	if !v.AllTenants() && f.Tenant != v.Tenant {
		return nil, "", apperr.PermissionDenied("only platform admins may list another tenant's tickets")
	}
	if f.Order == "" {
		f.Order = domain.OrderCreateDesc
	}
	if err := validateFilter(&f, r.PageSize); err != nil {
		return nil, "", err
	}
	size := r.PageSize
	if size == 0 {
		size = DefaultPageSize
	}
	size = min(size, MaxPageSize)
	after, err := decodeToken(v, f, r.PageToken)
	if err != nil {
		return nil, "", err
	}
	ts, more, err := a.store.List(ctx, v, f, after, size)
	if err != nil {
		return nil, "", fmt.Errorf("app.ListTickets: %w", err)
	}
	next := ""
	if more {
		next = encodeToken(v, f, ts[len(ts)-1])
	}
	for i := range ts {
		ts[i] = redact(v, ts[i])
	}
	return ts, next, nil
}

// validateFilter refuses impossible filters, naming the field.
func validateFilter(f *domain.Filter, pageSize int) error {
	var vs []apperr.FieldViolation
	add := func(field, rule string) { vs = append(vs, apperr.FieldViolation{Field: field, Rule: rule}) }
	if pageSize < 0 {
		add("page_size", "must not be negative")
	}
	if b := f.BBox; b != nil {
		vs = append(vs, domain.PointViolations(domain.Point{Lat: b.MinLat, Lng: b.MinLng}, "bbox.min", false)...)
		vs = append(vs, domain.PointViolations(domain.Point{Lat: b.MaxLat, Lng: b.MaxLng}, "bbox.max", false)...)
		if b.MinLat > b.MaxLat || b.MinLng > b.MaxLng {
			add("bbox", "min_latitude/min_longitude must not exceed max_latitude/max_longitude")
		}
	}
	if c := f.Near; c != nil {
		vs = append(vs, domain.PointViolations(c.Center, "near.center", false)...)
		if !(c.Meters > 0 && c.Meters <= domain.MaxRadiusMeters) {
			add("near.radius_meters", fmt.Sprintf("must be greater than 0 and at most %d", domain.MaxRadiusMeters))
		}
	}
	f.Query = strings.TrimSpace(f.Query)
	if r := domain.TextRule(f.Query, domain.MaxQuery, false); r != "" {
		add("query", r)
	}
	if r := domain.TextRule(f.AssignedTeamID, 128, false); r != "" {
		add("assigned_team_id", r)
	}
	if len(f.IDs) > domain.MaxFilterIDs {
		add("ids", fmt.Sprintf("must name at most %d tickets", domain.MaxFilterIDs))
	}
	for _, id := range f.IDs {
		if _, err := uuid.Parse(id); err != nil {
			add("ids", "must contain only ticket UUIDs")
			break
		}
	}
	if len(vs) > 0 {
		return apperr.InvalidFields(vs...)
	}
	return nil
}
