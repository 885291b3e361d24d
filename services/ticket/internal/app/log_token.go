package app

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/salga/trustengine/libs/apperr"
)

// Access log page tokens carry the last id seen and the filters they belong
// to, so a token from one filter is refused with another.
func encodeLogToken(lastID int64, tenant, ticketID string) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d|%s|%s", lastID, tenant, ticketID))
}

func decodeLogToken(tok, tenant, ticketID string) (int64, error) {
	if tok == "" {
		return 0, nil
	}
	bad := apperr.Invalid("page_token", "must be a next_page_token returned by the same query")
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, bad
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 || parts[1] != tenant || parts[2] != ticketID {
		return 0, bad
	}
	id, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, bad
	}
	return id, nil
}
