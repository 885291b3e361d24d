package domain

import (
	"math"
	"time"
)

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
	IDs            []string   `json:"ids,omitempty"`
	Order          Order      `json:"order"`
}

// MaxFilterIDs is how many ticket ids one list may name.
const MaxFilterIDs = 500

// Cursor is the keyset position after the last ticket of a page.
type Cursor struct {
	// Time is the sort time of the last ticket (nil for a ticket without a
	// resolution deadline in deadline order).
	Time *time.Time
	// ID breaks ties between equal times.
	ID string
}
