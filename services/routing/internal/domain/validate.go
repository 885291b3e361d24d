package domain

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/geo"
)

// Limits of free text, in bytes.
const (
	MaxName       = 200
	MaxNote       = 2000
	MaxPersonID   = 200
	MaxNamePrefix = 100
)

// Point is a WGS 84 position.
type Point struct {
	Lat, Lng float64
}

// CheckID refuses an id that is not a UUID, naming field.
func CheckID(id, field string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apperr.Invalid(field, "must be a UUID")
	}
	return nil
}

// IsID reports whether id is a UUID; look-ups of anything else find
// nothing.
func IsID(id string) bool { return CheckID(id, "") == nil }

// CheckCode refuses a municipality code that is not shaped like an MDB
// code, naming field.
func CheckCode(code, field string) error {
	if !auth.IsTenantCode(code) {
		return apperr.Invalid(field, "must be 2 to 8 upper-case letters and digits (MDB code)")
	}
	return nil
}

// CheckText refuses text that is missing when required, longer than max
// bytes, or holds control characters other than line breaks and tabs.
func CheckText(s, field string, required bool, max int) error {
	if r := textRule(s, required, max); r != "" {
		return apperr.Invalid(field, r)
	}
	return nil
}

// textRule returns the rule text s breaks, or "".
func textRule(s string, required bool, max int) string {
	if required && s == "" {
		return "is required"
	}
	if len(s) > max {
		return fmt.Sprintf("must be at most %d bytes", max)
	}
	// Postgres text cannot hold NUL, and other control characters in a name
	// or note are never meant; refusing them here keeps them from becoming
	// a database error (and a 500) further down.
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return "must not contain control characters"
		}
	}
	return ""
}

// checkLocation refuses a missing position, or one that is not finite, out
// of range or, when inSA, outside South Africa (libs/geo's one definition).
func checkLocation(p *Point, field string, inSA bool) error {
	if p == nil {
		return apperr.Invalid(field, "is required")
	}
	if vs := geo.PointViolations(p.Lat, p.Lng, field, inSA); len(vs) > 0 {
		return apperr.InvalidFields(vs...)
	}
	return nil
}

// checkCategory refuses a missing category (an UNSPECIFIED or unknown one
// in the request).
func checkCategory(c Category, field string) error {
	if c == "" {
		return apperr.Invalid(field, "must be a known category other than CATEGORY_UNSPECIFIED")
	}
	return nil
}

// provinces maps province codes and the names used in MDB data to codes.
var provinces = map[string]string{
	"EC": "EC", "FS": "FS", "GT": "GT", "KZN": "KZN", "LIM": "LIM", "MP": "MP", "NC": "NC", "NW": "NW", "WC": "WC",
	"Eastern Cape": "EC", "Free State": "FS", "Gauteng": "GT", "KwaZulu-Natal": "KZN", "Limpopo": "LIM",
	"Mpumalanga": "MP", "Northern Cape": "NC", "North West": "NW", "Western Cape": "WC",
}

// ProvinceCode normalises a province, by code or MDB name; "" stays ""
// (unknown).
func ProvinceCode(p, field string) (string, error) {
	if p == "" {
		return "", nil
	}
	code, ok := provinces[p]
	if !ok {
		return "", apperr.Invalid(field, "must be one of EC, FS, GT, KZN, LIM, MP, NC, NW, WC")
	}
	return code, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func apply[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
