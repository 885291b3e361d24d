package domain

import (
	"regexp"
	"strings"
)

// e164 is a phone number in E.164: a plus, a country code that does not
// start with 0, at most 15 digits in all; a South African one (+27) has
// nine digits after the country code.
var (
	e164   = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
	e164ZA = regexp.MustCompile(`^\+27[1-9][0-9]{8}$`)
)

// phoneSeparators are what people type between digits.
var phoneSeparators = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "", "\u00a0", "")

// NormalizePhone returns phone in E.164, reading a South African number
// as people type it (082 123 4567, 27821234567, 0027 82 123 4567); ok is
// false when the result is not E.164, so messages can always reach it.
func NormalizePhone(phone string) (string, bool) {
	p := phoneSeparators.Replace(strings.TrimSpace(phone))
	switch {
	case strings.HasPrefix(p, "00"):
		p = "+" + p[2:]
	case strings.HasPrefix(p, "0") && len(p) == 10:
		p = "+27" + p[1:]
	case strings.HasPrefix(p, "27") && len(p) == 11:
		p = "+" + p
	}
	if !e164.MatchString(p) || (strings.HasPrefix(p, "+27") && !e164ZA.MatchString(p)) {
		return phone, false
	}
	return p, true
}
