package domain

import (
	"errors"

	"github.com/salga/trustengine/libs/apperr"
)

// Errors the store and the use cases report. Those a caller may see are
// libs/apperr errors, so the interceptor maps them to gRPC codes.
var (
	// ErrTicketNotFound: notify never heard of the ticket, or the caller
	// may not see it (a GBV ticket for anyone but the SAPS liaison).
	ErrTicketNotFound = apperr.NotFound("ticket")
	// ErrMessageNotFound: no such message.
	ErrMessageNotFound = apperr.NotFound("message")
	// ErrTemplateNotFound: no such template in the caller's municipality.
	ErrTemplateNotFound = apperr.NotFound("template")
	// ErrTemplateTaken: a template of the same key exists.
	ErrTemplateTaken = apperr.AlreadyExists("a template for this audience, category, event kind and language exists: update it instead")
	// ErrStaffNotFound: no such staff contact.
	ErrStaffNotFound = apperr.NotFound("staff contact")
	// ErrChannelNotFound: no such team channel.
	ErrChannelNotFound = apperr.NotFound("team channel")
	// ErrTeamNotFound: routing has no such team in the municipality.
	ErrTeamNotFound = apperr.NotFound("team")
	// ErrReporterNotFound: no reporter is known for the ticket.
	ErrReporterNotFound = apperr.NotFound("reporter")
	// ErrUnsigned: a webhook without its provider's signature.
	ErrUnsigned = apperr.Unauthenticated("webhook: the provider's signature is missing")
	// ErrBadSignature: a webhook whose signature does not hold.
	ErrBadSignature = apperr.PermissionDenied("webhook: the provider's signature does not match")
	// ErrBadLink: an unsubscribe link this service did not sign.
	ErrBadLink = apperr.PermissionDenied("unsubscribe: the link is not valid")
	// ErrNoProvider: a webhook from a provider this service has no
	// settings for.
	ErrNoProvider = apperr.NotFound("webhook provider")
)

// ErrNotYet says an event cannot be planned yet (its ticket's creation has
// not arrived); the job retries.
var ErrNotYet = errors.New("domain: the ticket's created event has not arrived yet")
