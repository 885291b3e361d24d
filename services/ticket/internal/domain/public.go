package domain

import "time"

// PublicTicket is what the public (Open311) may see of a non-GBV ticket:
// the ticket without reporter details, its media URL and its public notes.
type PublicTicket struct {
	Ticket
	MediaURL string
	Notes    []Note
}

// PublicFilter selects public tickets of one tenant. GBV tickets never match,
// whatever the filter says.
type PublicFilter struct {
	Tenant                      string
	IDs                         []string
	Categories                  []Category
	Statuses                    []Status
	CreatedAfter, CreatedBefore *time.Time
	UpdatedAfter, UpdatedBefore *time.Time
	Near                        *Circle
	Limit, Offset               int
	WithNotes                   bool
}

// PublicReport is a report filed by an API client on a citizen's behalf.
type PublicReport struct {
	CreateInput
	// ClientID is the API key id of the filing application.
	ClientID string
	// MediaURL links a photo or other media.
	MediaURL string
	// Attributes are answers to the service's attributes by code.
	Attributes map[string]string
}
