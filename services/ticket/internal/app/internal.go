package app

import (
	"context"
	"fmt"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// assignmentReasons are the reasons routing gives, per the contract.
var assignmentReasons = map[string]bool{
	"geospatial_routing": true, "fallback_nearest": true, "triage": true,
	"manual_override": true, "escalation": true, "sla_breach": true,
}

// RecordAssignment mirrors routing's current assignment (internal RPC).
func (a *App) RecordAssignment(ctx context.Context, v domain.Viewer, as store.Assignment) (bool, error) {
	if err := requireService(v); err != nil {
		return false, err
	}
	var vs []apperr.FieldViolation
	if as.Tenant == "" {
		vs = append(vs, apperr.FieldViolation{Field: "tenant", Rule: "is required"})
	}
	if checkID(as.TicketID, "ticket_id") != nil {
		vs = append(vs, apperr.FieldViolation{Field: "ticket_id", Rule: "must be a UUID"})
	}
	if as.AssignmentID == "" {
		vs = append(vs, apperr.FieldViolation{Field: "assignment_id", Rule: "is required"})
	}
	if !assignmentReasons[as.Reason] {
		vs = append(vs, apperr.FieldViolation{Field: "reason", Rule: "must be one of geospatial_routing, fallback_nearest, triage, manual_override, escalation, sla_breach"})
	}
	if as.AssignTime.IsZero() {
		vs = append(vs, apperr.FieldViolation{Field: "assign_time", Rule: "is required"})
	}
	if as.EscalationLevel < 0 {
		vs = append(vs, apperr.FieldViolation{Field: "escalation_level", Rule: "must not be negative"})
	}
	if len(vs) > 0 {
		return false, apperr.InvalidFields(vs...)
	}
	as.AssignTime = as.AssignTime.UTC().Truncate(time.Microsecond)
	ok, err := a.store.RecordAssignment(ctx, v, as)
	if err != nil {
		return false, fmt.Errorf("app.RecordAssignment: %w", err)
	}
	return ok, nil
}

// RecordDeadlines mirrors SLA deadlines (internal RPC).
func (a *App) RecordDeadlines(ctx context.Context, v domain.Viewer, d store.Deadlines) (bool, error) {
	if err := requireService(v); err != nil {
		return false, err
	}
	if d.Tenant == "" {
		return false, apperr.Invalid("tenant", "is required")
	}
	if err := checkID(d.TicketID, "ticket_id"); err != nil {
		return false, err
	}
	if d.Revision <= 0 {
		return false, apperr.Invalid("revision", "must be positive")
	}
	for _, p := range []**time.Time{&d.Response, &d.Resolution} {
		if *p != nil {
			t := (*p).UTC().Truncate(time.Microsecond)
			*p = &t
		}
	}
	ok, err := a.store.RecordDeadlines(ctx, v, d)
	if err != nil {
		return false, fmt.Errorf("app.RecordDeadlines: %w", err)
	}
	return ok, nil
}

// ListGbvAccessLog lists reads of GBV tickets for platform admins only.
func (a *App) ListGbvAccessLog(ctx context.Context, v domain.Viewer, tenant, ticketID string, pageSize int, pageToken string) ([]domain.AccessLogEntry, string, error) {
	if !v.Has(domain.RolePlatformAdmin) {
		return nil, "", apperr.PermissionDenied("only platform admins may read the GBV access log")
	}
	if ticketID != "" {
		if err := checkID(ticketID, "ticket_id"); err != nil {
			return nil, "", err
		}
	}
	if pageSize < 0 {
		return nil, "", apperr.Invalid("page_size", "must not be negative")
	}
	if pageSize == 0 {
		pageSize = 100
	}
	pageSize = min(pageSize, 1000)
	before, err := decodeLogToken(pageToken, tenant, ticketID)
	if err != nil {
		return nil, "", err
	}
	es, more, err := a.store.ListAccessLog(ctx, v, tenant, ticketID, before, pageSize)
	if err != nil {
		return nil, "", fmt.Errorf("app.ListGbvAccessLog: %w", err)
	}
	next := ""
	if more {
		next = encodeLogToken(es[len(es)-1].ID, tenant, ticketID)
	}
	return es, next, nil
}
