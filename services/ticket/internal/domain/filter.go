package domain

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
)

// Order is the sort order of a ticket list, as the contract's TicketOrder
// words it (libs/vocab).
type Order string

// The sort orders.
const (
	OrderCreateTimeDesc        Order = "create_time_desc"
	OrderCreateTimeAsc         Order = "create_time_asc"
	OrderResolutionDeadlineAsc Order = "resolution_deadline_asc"
	// OrderPriority is most urgent first, then soonest resolution deadline.
	OrderPriority Order = "priority"
)

// Page sizes of ListTickets.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// BBox is a latitude/longitude rectangle.
type BBox struct {
	MinLat, MinLng, MaxLat, MaxLng float64
}

// Circle is a radius in metres around a point.
type Circle struct {
	Center Point
	Meters float64
}

// Bounds returns a latitude/longitude rectangle that holds the whole
// circle, with margin: a degree of latitude is taken as 110 km (it is
// 110.57 to 111.69 km on the WGS 84 spheroid) and a degree of longitude as
// 111 km times the cosine of the latitude farthest from the equator that
// the circle reaches (at most 111.32 km times it). The store narrows by
// this rectangle with an index and then tests the exact distance.
func (c Circle) Bounds() BBox {
	dLat := c.Meters / 110000
	far := math.Min(math.Abs(c.Center.Lat)+dLat, 89)
	dLng := math.Min(c.Meters/(111000*math.Cos(far*math.Pi/180)), 180)
	return BBox{MinLat: c.Center.Lat - dLat, MaxLat: c.Center.Lat + dLat, MinLng: c.Center.Lng - dLng, MaxLng: c.Center.Lng + dLng}
}

// violations checks the circle, naming field.
func (c Circle) violations(field string) []apperr.FieldViolation {
	vs := PointViolations(c.Center, field+".center", false)
	if !(c.Meters > 0 && c.Meters <= MaxRadiusMeters) {
		vs = append(vs, apperr.FieldViolation{Field: field + ".radius_meters",
			Rule: fmt.Sprintf("must be greater than 0 and at most %d", MaxRadiusMeters)})
	}
	return vs
}

// Filter selects tickets. Visibility (tenant, own tickets, GBV) is added by
// the use case from the caller, never taken from the request.
type Filter struct {
	// Tenant narrows to one tenant; only cross-tenant callers may name one
	// other than their own.
	Tenant         string     `json:"tenant,omitempty"`
	Statuses       []Status   `json:"statuses,omitempty"`
	Categories     []Category `json:"categories,omitempty"`
	AssignedTeamID string     `json:"team,omitempty"`
	CreatedAfter   *time.Time `json:"ca,omitempty"`
	CreatedBefore  *time.Time `json:"cb,omitempty"`
	UpdatedAfter   *time.Time `json:"ua,omitempty"`
	UpdatedBefore  *time.Time `json:"ub,omitempty"`
	BBox           *BBox      `json:"bbox,omitempty"`
	Near           *Circle    `json:"near,omitempty"`
	Query          string     `json:"q,omitempty"`
	IDs            []string   `json:"ids,omitempty"`
	WardCode       string     `json:"ward,omitempty"`
	Order          Order      `json:"order"`
}

// MaxWardCode bounds a ward code (routing's bound).
const MaxWardCode = 32

// MaxFilterIDs is how many ticket ids one list may name.
const MaxFilterIDs = 500

// ListRequest is a ListTickets query as the caller sent it.
type ListRequest struct {
	Filter    Filter
	PageSize  int
	PageToken string
}

// Resolve applies the defaults and the caller's municipality to r and
// refuses what it may not ask: a caller bound to one municipality lists
// only it (by default too); one across municipalities lists every one
// unless it names one.
func (r *ListRequest) Resolve(c access.Caller) error {
	f := &r.Filter
	if !c.AllTenants() {
		if f.Tenant == "" {
			f.Tenant = c.OwnTenant()
		}
		if f.Tenant != c.OwnTenant() {
			return apperr.PermissionDenied("only platform admins may list another tenant's tickets")
		}
	}
	if f.Order == "" {
		f.Order = OrderCreateTimeDesc
	}
	if err := r.validate(); err != nil {
		return err
	}
	if r.PageSize == 0 {
		r.PageSize = DefaultPageSize
	}
	r.PageSize = min(r.PageSize, MaxPageSize)
	return nil
}

// validate refuses impossible filters, naming the field; the text query is
// trimmed first.
func (r *ListRequest) validate() error {
	f := &r.Filter
	var vs apperr.Violations
	if r.PageSize < 0 {
		vs.Add("page_size", "must not be negative")
	}
	if b := f.BBox; b != nil {
		vs = append(vs, PointViolations(Point{Lat: b.MinLat, Lng: b.MinLng}, "bbox.min", false)...)
		vs = append(vs, PointViolations(Point{Lat: b.MaxLat, Lng: b.MaxLng}, "bbox.max", false)...)
		if b.MinLat > b.MaxLat || b.MinLng > b.MaxLng {
			vs.Add("bbox", "min_latitude/min_longitude must not exceed max_latitude/max_longitude")
		}
	}
	if c := f.Near; c != nil {
		vs = append(vs, c.violations("near")...)
	}
	f.Query = strings.TrimSpace(f.Query)
	if rule := TextRule(f.Query, MaxQuery, false); rule != "" {
		vs.Add("query", rule)
	}
	if rule := TextRule(f.AssignedTeamID, 128, false); rule != "" {
		vs.Add("assigned_team_id", rule)
	}
	if rule := TextRule(f.WardCode, MaxWardCode, false); rule != "" {
		vs.Add("ward_code", rule)
	}
	if len(f.IDs) > MaxFilterIDs {
		vs.Add("ids", fmt.Sprintf("must name at most %d tickets", MaxFilterIDs))
	}
	for _, id := range f.IDs {
		if _, err := uuid.Parse(id); err != nil {
			vs.Add("ids", "must contain only ticket UUIDs")
			break
		}
	}
	if err := vs.Err(); err != nil {
		return err
	}
	return nil
}

// Cursor is the keyset position after the last ticket of a page.
type Cursor struct {
	// Time is the sort time of the last ticket (nil for a ticket without a
	// resolution deadline in deadline order).
	Time *time.Time
	// ID breaks ties between equal times.
	ID string
	// Priority is the priority sort key of the last ticket in priority
	// order (PriorityKey).
	Priority string
}

// PriorityKey is the priority sort key of p: its word, which sorts P1
// first, and "p9" for none, which sorts after P4.
func PriorityKey(p Priority) string {
	if p == "" {
		return "p9"
	}
	return string(p)
}
