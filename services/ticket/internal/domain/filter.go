package domain

import "time"

// Order is the sort order of a ticket list.
type Order string

// The sort orders.
const (
	OrderCreateDesc       Order = "create_desc"
	OrderCreateAsc        Order = "create_asc"
	OrderResolutionDueAsc Order = "deadline_asc"
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

// Filter selects tickets. Visibility (tenant, own tickets, GBV) is added by
// the store from the Viewer, never taken from the request.
type Filter struct {
	// Tenant narrows to one tenant; only cross-tenant viewers may name one
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
	Order          Order      `json:"order"`
}

// Cursor is the keyset position after the last ticket of a page.
type Cursor struct {
	// Time is the sort time of the last ticket (nil for a ticket without a
	// resolution deadline in deadline order).
	Time *time.Time
	// ID breaks ties between equal times.
	ID string
}
