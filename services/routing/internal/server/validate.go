package server

import (
	"fmt"
	"regexp"

	"github.com/google/uuid"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/geo"
)

var codePattern = regexp.MustCompile(`^[A-Z0-9]{2,8}$`)

// provinces maps province codes and the names used in MDB data to codes.
var provinces = map[string]string{
	"EC": "EC", "FS": "FS", "GT": "GT", "KZN": "KZN", "LIM": "LIM", "MP": "MP", "NC": "NC", "NW": "NW", "WC": "WC",
	"Eastern Cape": "EC", "Free State": "FS", "Gauteng": "GT", "KwaZulu-Natal": "KZN", "Limpopo": "LIM",
	"Mpumalanga": "MP", "Northern Cape": "NC", "North West": "NW", "Western Cape": "WC",
}

func checkCode(code, field string) error {
	if !codePattern.MatchString(code) {
		return apperr.Invalid(field, "must be 2 to 8 upper-case letters and digits (MDB code)")
	}
	return nil
}

// provinceCode normalises a province; "" stays "" (unknown).
func provinceCode(p, field string) (string, error) {
	if p == "" {
		return "", nil
	}
	code, ok := provinces[p]
	if !ok {
		return "", apperr.Invalid(field, "must be one of EC, FS, GT, KZN, LIM, MP, NC, NW, WC")
	}
	return code, nil
}

func checkUUID(id, field string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apperr.Invalid(field, "must be a UUID")
	}
	return nil
}

// checkLocation validates a ticket position: finite, in range and inside
// South Africa's bounding box (libs geo).
func checkLocation(l *commonv1.LatLng, field string) error {
	if l == nil {
		return apperr.Invalid(field, "is required")
	}
	return geo.ValidatePoint(l.GetLatitude(), l.GetLongitude(), field)
}

// checkWorldLocation validates any WGS84 position: jurisdiction look-ups
// answer NotFound, not InvalidArgument, for points outside the country.
func checkWorldLocation(l *commonv1.LatLng, field string) error {
	if l == nil {
		return apperr.Invalid(field, "is required")
	}
	var vs []apperr.FieldViolation
	if !(l.Latitude >= -90 && l.Latitude <= 90) {
		vs = append(vs, apperr.FieldViolation{Field: field + ".latitude", Rule: "must be between -90 and 90"})
	}
	if !(l.Longitude >= -180 && l.Longitude <= 180) {
		vs = append(vs, apperr.FieldViolation{Field: field + ".longitude", Rule: "must be between -180 and 180"})
	}
	if len(vs) > 0 {
		return apperr.InvalidFields(vs...)
	}
	return nil
}

func checkCategory(c commonv1.Category, field string) error {
	if c == commonv1.Category_CATEGORY_UNSPECIFIED || commonv1.Category_name[int32(c)] == "" {
		return apperr.Invalid(field, "must be a known category other than CATEGORY_UNSPECIFIED")
	}
	return nil
}

func checkText(s, field string, required bool, maxLen int) error {
	if required && s == "" {
		return apperr.Invalid(field, "is required")
	}
	if len(s) > maxLen {
		return apperr.Invalid(field, fmt.Sprintf("must be at most %d bytes", maxLen))
	}
	// Postgres text cannot hold NUL, and other control characters in a name
	// or note are never meant; refusing them here keeps them from becoming a
	// database error (and a 500) further down.
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return apperr.Invalid(field, "must not contain control characters")
		}
	}
	return nil
}
