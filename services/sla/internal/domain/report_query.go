package domain

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/salga/trustengine/libs/apperr"
)

// Dimension is what report rows are grouped by.
type Dimension string

// The dimensions.
const (
	DimCategory Dimension = "category"
	DimWard     Dimension = "ward"
	DimTeam     Dimension = "team"
	DimPriority Dimension = "priority"
	DimMonth    Dimension = "month"
	DimDay      Dimension = "day"
)

// Group is the values of one row's dimensions ("" for those not grouped by).
type Group struct {
	Category, WardCode, TeamID, Priority, Month, Day string
}

// Set sets dimension d's value.
func (g *Group) Set(d Dimension, v string) {
	switch d {
	case DimCategory:
		g.Category = v
	case DimWard:
		g.WardCode = v
	case DimTeam:
		g.TeamID = v
	case DimPriority:
		g.Priority = v
	case DimMonth:
		g.Month = v
	case DimDay:
		g.Day = v
	}
}

// GroupBy checks dims against those a report allows, drops repeats and
// orders them (category, ward, team, priority, month, day); an empty list
// is def.
func GroupBy(dims []Dimension, allowed []Dimension, def ...Dimension) ([]Dimension, error) {
	if len(dims) == 0 {
		dims = def
	}
	order := []Dimension{DimCategory, DimWard, DimTeam, DimPriority, DimMonth, DimDay}
	var out []Dimension
	for _, d := range order {
		if !slices.Contains(dims, d) {
			continue
		}
		if !slices.Contains(allowed, d) {
			return nil, apperr.Invalid("group_by", fmt.Sprintf("%s is not a dimension of this report; allowed: %s", d, joinDims(allowed)))
		}
		out = append(out, d)
	}
	for _, d := range dims {
		if !slices.Contains(order, d) {
			return nil, apperr.Invalid("group_by", "must be known dimensions")
		}
	}
	return out, nil
}

func joinDims(ds []Dimension) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d)
	}
	return strings.Join(s, ", ")
}

// Page is a cursor over a report's rows: the offset into the query's
// ordered rows, bound to the query it was handed out for.
type Page struct {
	Size   int
	Offset int
	query  [8]byte
}

// ParsePage reads page_size and page_token of a query described by
// fingerprint (a token of another query is refused); size defaults to def
// and is at most max.
func ParsePage(size int32, token, fingerprint string, def, max int) (Page, error) {
	p := Page{Size: int(size)}
	sum := sha256.Sum256([]byte(fingerprint))
	copy(p.query[:], sum[:8])
	switch {
	case size < 0 || int(size) > max:
		return p, apperr.Invalid("page_size", fmt.Sprintf("must be between 0 and %d", max))
	case size == 0:
		p.Size = def
	}
	if token == "" {
		return p, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 16 || [8]byte(b[:8]) != p.query {
		return p, apperr.Invalid("page_token", "must be a next_page_token of the same query")
	}
	off := binary.BigEndian.Uint64(b[8:])
	if off > 1<<31 {
		return p, apperr.Invalid("page_token", "must be a next_page_token of the same query")
	}
	p.Offset = int(off)
	return p, nil
}

// Next is the token of the page after this one, "" when got rows (of at
// most Size+1 asked) show this is the last.
func (p Page) Next(got int) string {
	if got <= p.Size {
		return ""
	}
	b := make([]byte, 16)
	copy(b, p.query[:])
	binary.BigEndian.PutUint64(b[8:], uint64(p.Offset+p.Size))
	return base64.RawURLEncoding.EncodeToString(b)
}
