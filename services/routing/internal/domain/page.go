package domain

import (
	"encoding/base64"
	"strconv"

	"github.com/salga/trustengine/libs/apperr"
)

// Page is a limit/offset window of a list. Limit counts one row beyond the
// page, fetched only to tell whether more follow; NextPage leaves it out.
type Page struct {
	Limit, Offset int
}

// PageLimits are a list's default and largest page sizes.
type PageLimits struct {
	Default, Max int
}

// The page sizes of routing's lists.
var (
	// TeamsPage is for teams and queues.
	TeamsPage = PageLimits{Default: 100, Max: 1000}
	// MunicipalitiesPage is for municipalities, which may carry boundaries.
	MunicipalitiesPage = PageLimits{Default: 100, Max: 500}
)

// Of turns a request's page_size and page_token into a window. Tokens are
// opaque base64 offsets handed out by NextPage.
func (l PageLimits) Of(size int32, token string) (Page, error) {
	if size < 0 {
		return Page{}, apperr.Invalid("page_size", "must not be negative")
	}
	limit := int(size)
	if limit == 0 {
		limit = l.Default
	}
	limit = min(limit, l.Max)
	offset := 0
	if token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err == nil {
			offset, err = strconv.Atoi(string(raw))
		}
		if err != nil || offset < 0 {
			return Page{}, apperr.Invalid("page_token", "must be a token from a previous response")
		}
	}
	return Page{Limit: limit + 1, Offset: offset}, nil
}

// Shown is how many of the rows a read of p returned its answer carries:
// all but the look-ahead row.
func (p Page) Shown(n int) int {
	if p.Limit > 0 && n >= p.Limit {
		return p.Limit - 1
	}
	return n
}

// NextPage trims the look-ahead row of items read with p and returns the
// token of the next page ("" on the last).
func NextPage[T any](items []T, p Page) ([]T, string) {
	if len(items) < p.Limit {
		return items, ""
	}
	next := p.Offset + p.Limit - 1
	return items[:p.Limit-1], base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(next)))
}
