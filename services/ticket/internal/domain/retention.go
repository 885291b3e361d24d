package domain

import (
	"time"

	"github.com/salga/trustengine/libs/apperr"
)

// MaxRetentionDays bounds a municipality's attachment retention (a
// century; 0 keeps attachments until staff delete them).
const MaxRetentionDays = 36500

// Retention is how long a municipality keeps the attachments of finished
// (closed or cancelled) tickets.
type Retention struct {
	Tenant string
	// Days after a ticket finished that its attachments are deleted; 0
	// keeps them.
	Days       int
	UpdatedBy  string
	UpdateTime *time.Time
}

// CheckRetentionDays refuses a retention outside 0..MaxRetentionDays.
func CheckRetentionDays(days int) error {
	if days < 0 || days > MaxRetentionDays {
		return apperr.Invalid("retention_days", "must be between 0 (keep) and 36500 days")
	}
	return nil
}
