package app

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"time"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// pageToken is the opaque cursor of ListTickets: the last ticket's sort key
// and id, plus a hash of the filters and caller, so a token cannot be
// replayed with other filters (which would skip or repeat tickets) or by
// someone else.
type pageToken struct {
	Micros *int64 `json:"t,omitempty"`
	ID     string `json:"i"`
	Hash   uint64 `json:"h"`
	// Priority is the last ticket's priority key in priority order.
	Priority string `json:"p,omitempty"`
}

// filterHash fingerprints everything that decides the result set and order.
func filterHash(c access.Caller, f domain.Filter) uint64 {
	b, _ := json.Marshal(struct {
		Subject, Tenant string
		Roles           []string
		F               domain.Filter
	}{c.Subject(), c.OwnTenant(), c.Roles(), f})
	sum := sha256.Sum256(b)
	return binary.BigEndian.Uint64(sum[:8])
}

func encodeToken(c access.Caller, f domain.Filter, last domain.Ticket) string {
	tok := pageToken{ID: last.ID, Hash: filterHash(c, f)}
	var ts *time.Time
	if f.Order == domain.OrderResolutionDeadlineAsc || f.Order == domain.OrderPriority {
		ts = last.ResolutionDeadline
	} else {
		ts = &last.CreateTime
	}
	if f.Order == domain.OrderPriority {
		tok.Priority = domain.PriorityKey(last.Priority)
	}
	if ts != nil {
		m := ts.UnixMicro()
		tok.Micros = &m
	}
	b, _ := json.Marshal(tok)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(c access.Caller, f domain.Filter, s string) (*domain.Cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := apperr.Invalid("page_token", "must be a next_page_token returned by the same query")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 512 {
		return nil, bad
	}
	var tok pageToken
	if err := json.Unmarshal(b, &tok); err != nil || tok.Hash != filterHash(c, f) || domain.CheckID(tok.ID, "page_token") != nil {
		return nil, bad
	}
	cur := &domain.Cursor{ID: tok.ID, Priority: tok.Priority}
	if tok.Micros != nil {
		t := time.UnixMicro(*tok.Micros).UTC()
		cur.Time = &t
	} else if f.Order != domain.OrderResolutionDeadlineAsc && f.Order != domain.OrderPriority {
		return nil, bad
	}
	if (f.Order == domain.OrderPriority) != (tok.Priority != "") {
		return nil, bad
	}
	return cur, nil
}
