package server

import (
	"encoding/base64"
	"strconv"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/routing/internal/app"
)

// pageOf turns page_size and page_token into a window. Tokens are opaque
// base64 offsets; one more row than asked is fetched to know if more exist.
func pageOf(size int32, token string, def, max int) (app.Page, error) {
	if size < 0 {
		return app.Page{}, apperr.Invalid("page_size", "must not be negative")
	}
	limit := int(size)
	if limit == 0 {
		limit = def
	}
	limit = min(limit, max)
	offset := 0
	if token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err == nil {
			offset, err = strconv.Atoi(string(raw))
		}
		if err != nil || offset < 0 {
			return app.Page{}, apperr.Invalid("page_token", "must be a token from a previous response")
		}
	}
	return app.Page{Limit: limit + 1, Offset: offset}, nil
}

// nextToken trims the extra row and returns the token of the next page.
func nextToken[T any](items []T, p app.Page) ([]T, string) {
	if len(items) < p.Limit {
		return items, ""
	}
	next := p.Offset + p.Limit - 1
	return items[:p.Limit-1], base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(next)))
}
