package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// ListTickets returns up to limit tickets v may see that match f after
// cursor (nil for the first page), in f.Order, and whether more follow.
// Keyset pagination on (sort key, id) means concurrent inserts neither
// repeat nor skip earlier tickets.
func (s *Store) ListTickets(ctx context.Context, tx pgx.Tx, v domain.Visibility, f domain.Filter, after *domain.Cursor, limit int) ([]domain.Ticket, bool, error) {
	tenant := searchTenant(v, f)
	if f.Query != "" && f.Order == domain.OrderCreateTimeDesc && tenant != nil && !isWholeReference(*tenant, f.Query) {
		out, filled, err := s.newestMatching(ctx, tx, v, f, *tenant, after, limit)
		if err != nil {
			return nil, false, err
		}
		if filled {
			return out, true, nil
		}
	}
	w := &where{}
	visible(w, v)
	filters(w, f)
	if f.Query != "" {
		if err := textSearch(ctx, tx, w, tenant, f.Query); err != nil {
			return nil, false, fmt.Errorf("store.ListTickets: %w", err)
		}
	}
	orderBy := keyset(w, f.Order, after)
	query := `SELECT ` + ticketColumns + ` FROM ticket.tickets t WHERE ` + w.sql() +
		` ORDER BY ` + orderBy + ` LIMIT ` + w.arg(limit+1)
	return s.listPage(ctx, tx, query, w.args, limit)
}

// listPage runs a list query that asks for limit+1 tickets and returns the
// first limit and whether more follow.
func (s *Store) listPage(ctx context.Context, tx pgx.Tx, query string, args []any, limit int) ([]domain.Ticket, bool, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("store.ListTickets: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Ticket, error) { return s.scanTicket(r) })
	if err != nil {
		return nil, false, fmt.Errorf("store.ListTickets: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// searchCap is how many matches of a text search are looked up through the
// trigram indexes. A search that matches more is common enough that
// walking the tenant's tickets in list order fills a page sooner.
const searchCap = 2000

// newestWindow is how many of a tenant's newest tickets (after the cursor)
// a text search newest first tests before it turns to the trigram indexes:
// matches as common as 1 in 200 fill a page of 50 within it.
const newestWindow = 10000

// newestMatching answers a text search newest first in one pass when its
// matches are common among the tenant's newest tickets: it walks the
// tenant's (tenant, create_time DESC, id DESC) index from the cursor, at
// most newestWindow tickets (the limit is pushed into the index scan), and
// tests each for the caller's rules, filters and text. It reports whether
// the window filled the page and found one match more, so that more
// follow. When it did not (matches are rare, or the window ran past the
// tenant's last ticket), the caller finds the matches through the indexes
// (textSearch), which gives the same answer. A page it fills holds exactly
// the first limit matches after the cursor: every ticket the walk skipped
// is newer than the last one it kept.
func (s *Store) newestMatching(ctx context.Context, tx pgx.Tx, v domain.Visibility, f domain.Filter, tenant string, after *domain.Cursor, limit int) ([]domain.Ticket, bool, error) {
	w := &where{}
	w.add("t.tenant = " + w.arg(tenant))
	orderBy := keyset(w, domain.OrderCreateTimeDesc, after)
	window := w.sql()
	w.conds = nil
	visible(w, v)
	filters(w, f)
	matchText(w, textPattern(f.Query))
	query := `SELECT ` + ticketColumns + ` FROM (SELECT * FROM ticket.tickets t WHERE ` + window +
		` ORDER BY ` + orderBy + ` LIMIT ` + w.arg(newestWindow) + `) t WHERE ` + w.sql() +
		` ORDER BY ` + orderBy + ` LIMIT ` + w.arg(limit+1)
	out, filled, err := s.listPage(ctx, tx, query, w.args, limit)
	if err != nil || !filled {
		return nil, false, err
	}
	return out, true, nil
}

// textPattern is the ILIKE pattern of a text search for q: q anywhere,
// its wildcards taken literally.
func textPattern(q string) string { return "%" + likeEscape(q) + "%" }

// matchText adds the test of each ticket's description and reference for
// pattern to w.
func matchText(w *where, pattern string) {
	p := w.arg(pattern)
	w.add("(t.description ILIKE " + p + " OR t.reference ILIKE " + p + ")")
}

// textSearch adds the case-insensitive search for q in the description or
// reference to w (a whole reference of the tenant finds that ticket, and
// descriptions that quote it). ticket.search_ids finds the matches through
// the reference's unique index or trigram indexes, which row-level
// security keeps from the list query itself (see migration 00006); when
// there are more than searchCap of them, the list query tests each ticket
// it walks instead. A search newest first whose matches are common among
// the tenant's newest tickets is answered before this (newestMatching).
func textSearch(ctx context.Context, tx pgx.Tx, w *where, tenant *string, q string) error {
	pattern := textPattern(q)
	var ids []string
	err := tx.QueryRow(ctx, `SELECT array(SELECT s::text FROM ticket.search_ids($1, $2, $3, $4) s)`,
		tenant, q, pattern, searchCap+1).Scan(&ids)
	if err != nil {
		return fmt.Errorf("search ids: %w", err)
	}
	if len(ids) <= searchCap {
		w.add("t.id = ANY(" + w.arg(ids) + "::uuid[])")
		return nil
	}
	matchText(w, pattern)
	return nil
}

// isWholeReference reports whether q is shaped like a whole reference of
// tenant (CPT-2026-000123), which search_ids finds by the unique index.
func isWholeReference(tenant, q string) bool {
	rest, ok := strings.CutPrefix(strings.ToUpper(q), strings.ToUpper(tenant)+"-")
	if !ok || len(rest) < 11 || rest[4] != '-' {
		return false
	}
	for i, r := range rest {
		if i != 4 && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// searchTenant is the tenant a text search looks in: the caller's, or for
// a caller of all tenants the one the filter names, else every tenant (nil).
func searchTenant(v domain.Visibility, f domain.Filter) *string {
	if !v.AllTenants {
		return &v.Tenant
	}
	if f.Tenant != "" {
		return &f.Tenant
	}
	return nil
}

// filters adds the caller's filters to w.
func filters(w *where, f domain.Filter) {
	if f.Tenant != "" {
		w.add("t.tenant = " + w.arg(f.Tenant))
	}
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ss[i] = string(st)
		}
		w.add("t.status = ANY(" + w.arg(ss) + "::text[])")
	}
	if len(f.Categories) > 0 {
		cs := make([]string, len(f.Categories))
		for i, c := range f.Categories {
			cs[i] = string(c)
		}
		w.add("t.category = ANY(" + w.arg(cs) + "::text[])")
	}
	if f.AssignedTeamID != "" {
		w.add("t.assigned_team_id = " + w.arg(f.AssignedTeamID))
	}
	if f.WardCode != "" {
		w.add("t.ward_code = " + w.arg(f.WardCode))
	}
	if len(f.IDs) > 0 {
		w.add("t.id = ANY(" + w.arg(f.IDs) + "::uuid[])")
	}
	if f.CreatedAfter != nil {
		w.add("t.create_time >= " + w.arg(*f.CreatedAfter))
	}
	if f.CreatedBefore != nil {
		w.add("t.create_time < " + w.arg(*f.CreatedBefore))
	}
	if f.UpdatedAfter != nil {
		w.add("t.update_time >= " + w.arg(*f.UpdatedAfter))
	}
	if f.UpdatedBefore != nil {
		w.add("t.update_time < " + w.arg(*f.UpdatedBefore))
	}
	// The map filters compare the stored lat/lng columns: plain float
	// comparisons are LEAKPROOF, so under row-level security the (tenant,
	// lat, lng) index can serve them, which no PostGIS operator can (see
	// migration 00005). For a point, being in the rectangle is exact.
	inBox := func(b domain.BBox) {
		w.add(fmt.Sprintf("t.lat BETWEEN %s AND %s AND t.lng BETWEEN %s AND %s",
			w.arg(b.MinLat), w.arg(b.MaxLat), w.arg(b.MinLng), w.arg(b.MaxLng)))
	}
	if b := f.BBox; b != nil {
		inBox(*b)
	}
	if c := f.Near; c != nil {
		inBox(c.Bounds())
		w.add(fmt.Sprintf("ST_DWithin(t.location::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)",
			w.arg(c.Center.Lng), w.arg(c.Center.Lat), w.arg(c.Meters)))
	}
}

// keyset adds the cursor condition for order and returns the ORDER BY.
func keyset(w *where, order domain.Order, after *domain.Cursor) string {
	switch order {
	case domain.OrderCreateTimeAsc:
		if after != nil && after.Time != nil {
			w.add("(t.create_time, t.id) > (" + w.arg(*after.Time) + ", " + w.arg(after.ID) + "::uuid)")
		}
		return "t.create_time ASC, t.id ASC"
	case domain.OrderResolutionDeadlineAsc:
		if after != nil {
			w.add(afterDeadline(w, after))
		}
		return "t.resolution_deadline ASC NULLS LAST, t.id ASC"
	case domain.OrderPriority:
		// The key is the expression of index tickets_tenant_priority
		// (migration 00015).
		const key = "(CASE WHEN t.priority = '' THEN 'p9' ELSE t.priority END)"
		if after != nil {
			p := w.arg(after.Priority)
			w.add("(" + key + " > " + p + " OR (" + key + " = " + p + " AND " + afterDeadline(w, after) + "))")
		}
		return key + " ASC, t.resolution_deadline ASC NULLS LAST, t.id ASC"
	default:
		if after != nil && after.Time != nil {
			w.add("(t.create_time, t.id) < (" + w.arg(*after.Time) + ", " + w.arg(after.ID) + "::uuid)")
		}
		return "t.create_time DESC, t.id DESC"
	}
}

// afterDeadline is the condition of the tickets after cursor in
// (resolution deadline, nulls last, id) order.
func afterDeadline(w *where, after *domain.Cursor) string {
	id := w.arg(after.ID) + "::uuid"
	if after.Time == nil {
		return "(t.resolution_deadline IS NULL AND t.id > " + id + ")"
	}
	ts := w.arg(*after.Time)
	return "(t.resolution_deadline > " + ts + " OR (t.resolution_deadline = " + ts + " AND t.id > " + id + ") OR t.resolution_deadline IS NULL)"
}

// likeEscape makes user text literal inside an ILIKE pattern.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
