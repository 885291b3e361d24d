package domain

import (
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
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
// and location GEOS gives. Team areas are never repaired: a bow-tie has no
// single meaning to repair to.
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
