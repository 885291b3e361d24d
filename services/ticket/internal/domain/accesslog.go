package domain

import "github.com/salga/trustengine/libs/apperr"

// Page sizes of the GBV access log.
const (
	defaultLogPage = 100
	maxLogPage     = 1000
)

// AccessLogQuery asks for a page of the GBV access log.
type AccessLogQuery struct {
	// Tenant and TicketID narrow the log when set.
	Tenant, TicketID string
	// PageSize is the most entries to return (0: the default).
	PageSize int
	// PageToken continues a previous page.
	PageToken string
}

// Validate refuses a malformed query, naming the field, and fills the
// default page size.
func (q *AccessLogQuery) Validate() error {
	if q.TicketID != "" {
		if err := CheckID(q.TicketID, "ticket_id"); err != nil {
			return err
		}
	}
	if q.PageSize < 0 {
		return apperr.Invalid("page_size", "must not be negative")
	}
	if q.PageSize == 0 {
		q.PageSize = defaultLogPage
	}
	q.PageSize = min(q.PageSize, maxLogPage)
	return nil
}
