package domain

import (
	"fmt"
	"math"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

// BoundaryTolerance is how far (metres) a team area may stray outside its
// municipality's boundary. The MDB 2011 ward and municipality layers were
// simplified separately: CPT's ward vertices lie up to 341 m outside the
// municipal boundary, so 500 m accepts real wards yet refuses a neighbour's.
const BoundaryTolerance = 500

// ValidGeometry is PostGIS's validity reason of a valid geometry.
const ValidGeometry = "Valid Geometry"

// CheckAreaValid refuses an area PostGIS finds invalid (reason is its
// ST_IsValidReason: self-intersections, bad holes, ...), naming the reason
// and location GEOS gives. A team area drawn by hand is repaired only when
// the caller asks (a bow-tie has no single meaning to repair to); imports
// of official data repair by default (AreaCheck.Judge).
func CheckAreaValid(reason, field string) error {
	if reason != ValidGeometry {
		return apperr.Invalid(field, "must be a valid polygon (OGC simple features): "+reason)
	}
	return nil
}

// CheckAreaInside refuses a team area of tenant that is not inside its
// municipality's boundary grown by BoundaryTolerance.
func CheckAreaInside(inside bool, tenant, field string) error {
	if !inside {
		return apperr.Invalid(field, fmt.Sprintf("must lie inside the boundary of municipality %s (tolerance %d m)", tenant, BoundaryTolerance))
	}
	return nil
}

// AreaCheck is what PostGIS found of an area, in SRID 4326 (after
// reprojection when the request named another system).
type AreaCheck struct {
	// Reason is ST_IsValidReason of the area as given.
	Reason string
	// Before and After are the areas (m²) as given and as it would be
	// stored, repaired with ST_MakeValid when it was invalid.
	Before, After float64
	// Empty: nothing polygonal is left after the repair.
	Empty bool
	// The extent of the stored area, degrees.
	MinLng, MinLat, MaxLng, MaxLat float64
	// Stored is the area as it would be stored, GeoJSON.
	Stored string
}

// Valid reports whether PostGIS found the area valid as given.
func (c AreaCheck) Valid() bool { return c.Reason == ValidGeometry }

// AreaChange is the repair's change of area in percent of the area given.
func (c AreaCheck) AreaChange() float64 {
	if c.Valid() || c.Before == 0 {
		return 0
	}
	return math.Abs(c.After-c.Before) / c.Before * 100
}

// Judge accepts the area or refuses it (apperr InvalidArgument naming
// field): an invalid area is refused unless repair is allowed, and then
// refused if nothing polygonal is left or the repair changes its area by
// more than maxChange percent; any area must lie in South Africa, and one
// whose coordinates would lie there swapped is refused with that hint.
func (c AreaCheck) Judge(repair bool, maxChange float64, field string) error {
	if !c.Valid() {
		if !repair {
			return CheckAreaValid(c.Reason, field)
		}
		if c.Empty {
			return apperr.Invalid(field, "is empty after repair: no polygon is left of it ("+c.Reason+")")
		}
		if ch := c.AreaChange(); ch > maxChange {
			return apperr.Invalid(field, fmt.Sprintf("repair would change the area by %.2f%% (limit %g%%): %s", ch, maxChange, c.Reason))
		}
	}
	return checkInSouthAfrica(c.MinLng, c.MinLat, c.MaxLng, c.MaxLat, field)
}

// checkInSouthAfrica refuses an extent outside South Africa's (libs/geo's
// bounds), saying so when the extent with longitude and latitude swapped
// would lie inside: GeoJSON positions are [longitude, latitude].
func checkInSouthAfrica(minLng, minLat, maxLng, maxLat float64, field string) error {
	in := func(x0, y0, x1, y1 float64) bool {
		return x0 >= geo.MinLngSA && x1 <= geo.MaxLngSA && y0 >= geo.MinLatSA && y1 <= geo.MaxLatSA
	}
	if in(minLng, minLat, maxLng, maxLat) {
		return nil
	}
	where := fmt.Sprintf("extent %.4f %.4f, %.4f %.4f", minLng, minLat, maxLng, maxLat)
	if in(minLat, minLng, maxLat, maxLng) {
		return apperr.Invalid(field, "lies outside South Africa ("+where+"), but would lie inside with longitude and latitude swapped: "+
			"GeoJSON positions are [longitude, latitude]")
	}
	if minLat > 0 {
		where += ", in the northern hemisphere"
	}
	return apperr.Invalid(field, fmt.Sprintf("must lie inside South Africa (longitude %g to %g, latitude %g to %g); %s",
		geo.MinLngSA, geo.MaxLngSA, geo.MinLatSA, geo.MaxLatSA, where))
}
