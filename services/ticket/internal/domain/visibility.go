package domain

import "github.com/salga/trustengine/libs/access"

// Visibility is which tickets a caller may read, as the queries' own filters
// state it; row-level security, set from the same caller's scope, is the
// second wall behind them.
type Visibility struct {
	// AllTenants reads every municipality; else only Tenant.
	AllTenants bool
	// Tenant is the one municipality read when AllTenants is false ("" reads
	// none).
	Tenant string
	// GBV includes GBV tickets.
	GBV bool
	// Reporter, when set, narrows to the tickets this subject reported.
	Reporter string
}

// VisibilityOf is what c may read: its municipality (every one for a
// platform admin), GBV tickets only when it may see them, and only its own
// reports when it is neither staff nor across municipalities (a citizen).
func VisibilityOf(c access.Caller) Visibility {
	v := Visibility{AllTenants: c.AllTenants(), Tenant: c.OwnTenant(), GBV: c.CanSeeGBV()}
	if OwnOnly(c) {
		v.Reporter = c.Subject()
	}
	return v
}

// OwnOnly reports whether c sees only the tickets it reported: a caller who
// is neither a municipality's staff nor across municipalities.
func OwnOnly(c access.Caller) bool { return !c.IsStaff() && !c.AllTenants() }

// Redact drops the reporter's contact details for callers who are neither
// staff of the tenant nor the reporter: platform admins administer the
// platform, they do not need citizens' phone numbers.
func Redact(c access.Caller, t Ticket) Ticket {
	if !c.IsStaff() && t.ReporterSubject != c.Subject() {
		t.Reporter = Reporter{}
	}
	return t
}

// MayChange refuses a change of t by c when t is a GBV ticket c may not
// act on. Visibility already hides such a ticket from such a caller; this
// is the rule itself, for every path that changes a ticket.
func MayChange(c access.Caller, t Ticket) error {
	if t.IsGBV() && !c.CanActOnGBV() {
		return ErrTicketNotFound
	}
	return nil
}

// AnswerFor is what a caller gets back for a ticket it just created: the
// ticket, or for a GBV ticket whose content the caller may not read (the
// reporting citizen) a receipt without the content.
func AnswerFor(c access.Caller, t Ticket) Ticket {
	if t.IsGBV() && !c.CanSeeGBV() {
		return t.Receipt()
	}
	return t
}

// GBVIDs returns the tenants and ids of the GBV tickets among ts: the reads
// the GBV access log must record.
func GBVIDs(ts ...Ticket) (tenants, ids []string) {
	for _, t := range ts {
		if t.IsGBV() {
			tenants, ids = append(tenants, t.Tenant), append(ids, t.ID)
		}
	}
	return tenants, ids
}
