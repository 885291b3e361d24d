package open311

import (
	"errors"
	"net/http"

	"github.com/google/uuid"

	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
	"github.com/salga/trustengine/services/gateway/internal/upload"
)

// listRequests answers requests.{fmt} (filtered list) and
// requests/{id}.{fmt} (an array of one).
func (h *Handler) listRequests(w http.ResponseWriter, r *http.Request, e endpoint) {
	if !parseForm(w, r, e.format) {
		return
	}
	ctx, tenant, ok := h.jurisdiction(w, r, e.format)
	if !ok {
		return
	}
	extended := r.Form.Get("extensions") == "true"
	if e.id != "" {
		if _, err := uuid.Parse(e.id); err != nil {
			writeError(w, e.format, http.StatusNotFound, "service_request_id "+e.id+" not found")
			return
		}
		resp, err := h.tickets.GetPublicTicket(ctx, &ticketv1.GetPublicTicketRequest{Tenant: tenant, Id: e.id, IncludeNotes: extended})
		if err != nil {
			writeBackendError(w, e.format, err)
			return
		}
		write(w, e.format, http.StatusOK, requestList{Requests: []requestOut{requestFrom(resp.GetTicket(), extended, h.base(r))}})
		return
	}
	req, err := listQuery(r.Form, tenant, h.now())
	var bad badRequest
	if errors.As(err, &bad) {
		writeError(w, e.format, http.StatusBadRequest, bad.msg)
		return
	}
	resp, err := h.tickets.ListPublicTickets(ctx, req)
	if err != nil {
		writeBackendError(w, e.format, err)
		return
	}
	list := requestList{Requests: make([]requestOut, 0, len(resp.GetTickets()))}
	for _, t := range resp.GetTickets() {
		list.Requests = append(list.Requests, requestFrom(t, extended, h.base(r)))
	}
	write(w, e.format, http.StatusOK, list)
}

// postRequest answers POST requests.{fmt}: the API key is checked before
// anything else is looked at, so an unknown client learns nothing. A
// report is form-encoded, or multipart/form-data with a `media` file; a
// media_url is fetched (after the key is checked) when no file came. The
// photo is cleaned by the ticket service like any upload, and the report
// refused with the reason when it is not a photo.
func (h *Handler) postRequest(w http.ResponseWriter, r *http.Request, e endpoint) {
	var media *spooled
	if upload.IsMultipart(r) {
		var err error
		if media, err = h.readMultipart(w, r); err != nil {
			mediaError(w, e.format, err)
			return
		}
		defer media.remove()
	} else if !parseForm(w, r, e.format) {
		return
	}
	ctx, tenant, ok := h.jurisdiction(w, r, e.format)
	if !ok {
		return
	}
	key := r.Form.Get("api_key")
	if key == "" {
		writeError(w, e.format, http.StatusForbidden, "api_key is required")
		return
	}
	client, err := h.tickets.VerifyApiKey(ctx, &ticketv1.VerifyApiKeyRequest{Key: key})
	if err != nil {
		writeBackendError(w, e.format, err)
		return
	}
	if client.GetTenant() != tenant {
		writeError(w, e.format, http.StatusForbidden, "api_key is not valid for jurisdiction_id "+tenant)
		return
	}
	req, err := reportFrom(r.Form)
	var bad badRequest
	if errors.As(err, &bad) {
		writeError(w, e.format, http.StatusBadRequest, bad.msg)
		return
	}
	req.Tenant, req.ClientId, req.IdempotencyKey = tenant, client.GetClientId(), r.Header.Get("Idempotency-Key")
	if media == nil && req.GetMediaUrl() != "" && h.media.Fetcher != nil {
		if media, err = h.fetchMedia(ctx, req.GetMediaUrl()); err != nil {
			var bad badRequest
			if !errors.As(err, &bad) {
				writeError(w, e.format, http.StatusInternalServerError, "internal error")
				return
			}
			writeError(w, e.format, http.StatusBadRequest, bad.msg)
			return
		}
		defer media.remove()
	}
	var id string
	if media != nil {
		resp, err := h.submitWithMedia(ctx, req, media)
		if err != nil {
			writeBackendError(w, e.format, err)
			return
		}
		id = resp.GetId()
	} else {
		resp, err := h.tickets.SubmitPublicReport(ctx, req)
		if err != nil {
			writeBackendError(w, e.format, err)
			return
		}
		id = resp.GetId()
	}
	write(w, e.format, http.StatusOK, receiptList{Receipts: []receiptOut{{ServiceRequestID: id}}})
}
