package domain

import (
	"fmt"
	"math"
	"time"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
)

// MaxTileZoom is the deepest zoom level a ticket tile is served for.
const MaxTileZoom = 22

// Tile is one web map tile (EPSG:3857, rows counted from the north), as
// map libraries request them.
type Tile struct {
	Z, X, Y int
}

// Valid reports whether the tile exists at its zoom level.
func (t Tile) Valid() bool {
	if t.Z < 0 || t.Z > MaxTileZoom {
		return false
	}
	n := 1 << t.Z
	return t.X >= 0 && t.X < n && t.Y >= 0 && t.Y < n
}

// Bounds is the tile's latitude/longitude rectangle grown by margin (a
// fraction of the tile's width, for the features drawn across its edge),
// clamped to the Web Mercator range. The store narrows by it with the
// (tenant, lat, lng) index before PostGIS clips.
func (t Tile) Bounds(margin float64) BBox {
	n := float64(int(1) << t.Z)
	lng := func(x float64) float64 { return x/n*360 - 180 }
	lat := func(y float64) float64 { return math.Atan(math.Sinh(math.Pi*(1-2*y/n))) * 180 / math.Pi }
	x0, x1 := float64(t.X)-margin, float64(t.X+1)+margin
	y0, y1 := math.Max(float64(t.Y)-margin, 0), math.Min(float64(t.Y+1)+margin, n)
	return BBox{
		MinLat: lat(y1), MaxLat: lat(y0),
		MinLng: math.Max(lng(x0), -180), MaxLng: math.Min(lng(x1), 180),
	}
}

// TileFilter selects the tickets drawn on a tile. Visibility comes from
// the caller, as for lists.
type TileFilter struct {
	Tenant         string
	Statuses       []Status
	Categories     []Category
	AssignedTeamID string
	CreatedAfter   *time.Time
	CreatedBefore  *time.Time
}

// TileRequest is a GetTicketTile query as the caller sent it.
type TileRequest struct {
	Tile   Tile
	Filter TileFilter
}

// Resolve applies the caller's municipality to r and refuses what it may
// not ask, as ListRequest.Resolve does for lists: a caller bound to one
// municipality maps only it (by default too).
func (r *TileRequest) Resolve(c access.Caller) error {
	f := &r.Filter
	if !c.AllTenants() {
		if f.Tenant == "" {
			f.Tenant = c.OwnTenant()
		}
		if f.Tenant != c.OwnTenant() {
			return apperr.PermissionDenied("only platform admins may map another tenant's tickets")
		}
	}
	var vs apperr.Violations
	if r.Tile.Z < 0 || r.Tile.Z > MaxTileZoom {
		vs.Add("z", fmt.Sprintf("must be from 0 to %d", MaxTileZoom))
	} else if !r.Tile.Valid() {
		vs.Add("x", "x and y must be from 0 to 2^z - 1")
	}
	if rule := TextRule(f.AssignedTeamID, 128, false); rule != "" {
		vs.Add("assigned_team_id", rule)
	}
	return vs.Err()
}

// SLA states of a ticket on the map. The tile query (store) and the console
// compute them with the same rule, from the deadlines mirrored on the
// ticket: breached when the deadline due next (the response deadline until
// the first response, else the resolution deadline) has passed, at risk
// once AtRiskShare of the time from creation to it has passed, none when
// the ticket is finished, paused (awaiting the citizen, except GBV) or has
// no deadline yet.
const (
	SLABreached = "breached"
	SLAAtRisk   = "at_risk"
	SLAOnTime   = "on_time"
	SLANone     = "none"
	// AtRiskShare is the default SLA warning threshold (80%).
	AtRiskShare = 0.8
)
