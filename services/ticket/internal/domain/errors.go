package domain

import (
	"errors"
	"fmt"

	"github.com/salga/trustengine/libs/apperr"
)

// Errors the store interprets Postgres outcomes into, at its edge. Those a
// caller may see are apperr errors, so they carry their gRPC code; the
// others the use cases handle. Nothing above the store sees pgx.ErrNoRows
// or a SQLSTATE.
var (
	// ErrTicketNotFound answers for a ticket id a visibility-scoped query
	// did not return, whatever the reason: missing, another tenant's,
	// someone else's, or a GBV ticket asked for by anyone but the tenant's
	// SAPS liaison. One answer for all, so no caller learns that an id is a
	// GBV ticket.
	ErrTicketNotFound = apperr.NotFound("ticket")
	// ErrAPIKeyNotFound answers for an API key id not in the caller's
	// municipality.
	ErrAPIKeyNotFound = apperr.NotFound("api key")
	// ErrInvalidAPIKey answers every failed verification alike: unknown,
	// malformed, wrong or revoked.
	ErrInvalidAPIKey = apperr.PermissionDenied("invalid api_key")
	// ErrKeyTaken says the caller's idempotency key stands for a request
	// already made within the window; the use case answers with that
	// request's ticket.
	ErrKeyTaken = errors.New("idempotency key taken")
	// ErrKeyGone says a taken key expired and was swept between the failed
	// claim and its look-up: the request may simply be sent again.
	ErrKeyGone = apperr.FailedPrecondition("idempotency key conflict; retry the request")
	// ErrKeyReused answers a key sent again with another request.
	ErrKeyReused = apperr.AlreadyExists(fmt.Sprintf(
		"idempotency_key was already used for a different request in the last %d hours; send a new key for a new request",
		int(IdempotencyWindow.Hours())))
)

// Errors of attachments.
var (
	// ErrAttachmentNotFound answers for an attachment id not on a ticket the
	// caller sees, or one of its attachments the caller may not read. For a
	// ticket the caller may not see, ErrTicketNotFound answers first.
	ErrAttachmentNotFound = apperr.NotFound("attachment")
	// ErrNoteNotFound answers for a note id that is not a note of the
	// ticket written by the uploader.
	ErrNoteNotFound = apperr.NotFound("note")
)
