package console

import (
	"encoding/json"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/libs/auth"
)

// tenantCode is a Municipal Demarcation Board code, as routing stores it.
var tenantCode = regexp.MustCompile(`^[A-Z0-9]{2,8}$`)

// devTokenRequest is the body of POST /console/dev-token.
type devTokenRequest struct {
	Role   string `json:"role"`
	Tenant string `json:"tenant"`
}

// devTokenResponse is its answer.
type devTokenResponse struct {
	Token     string    `json:"token"`
	Subject   string    `json:"subject"`
	ExpiresAt time.Time `json:"expires_at"`
}

// serveDevToken mints a short-lived token for one role of one tenant, in
// development mode only; outside it the path does not exist. The subject is
// derived from the role and tenant, so two sign-ins as the same role see
// the same "my" tickets.
func (h *Handler) serveDevToken(w http.ResponseWriter, r *http.Request) {
	if !h.settings.DevMode {
		h.settings.Fail(w, r, apperr.NotFound("development sign-in (the gateway is not in development mode)"))
		return
	}
	// A JSON body only: a cross-site form post cannot send one without a
	// CORS preflight.
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		h.settings.Fail(w, r, apperr.Invalid("Content-Type", "must be application/json"))
		return
	}
	var req devTokenRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		h.settings.Fail(w, r, apperr.Invalid("body", "must be a JSON object with role and tenant"))
		return
	}
	var vs []apperr.FieldViolation
	if !slices.Contains(consoleRoles, req.Role) {
		vs = append(vs, apperr.FieldViolation{Field: "role", Rule: "must be one of " + strings.Join(consoleRoles, ", ")})
	}
	if !tenantCode.MatchString(req.Tenant) {
		vs = append(vs, apperr.FieldViolation{Field: "tenant", Rule: "must be a municipality code (2 to 8 upper-case letters and digits)"})
	}
	if len(vs) > 0 {
		h.settings.Fail(w, r, apperr.InvalidFields(vs...))
		return
	}
	sub := "dev-" + strings.ReplaceAll(req.Role, "_", "-") + "-" + strings.ToLower(req.Tenant)
	tok, err := h.settings.Signer.Mint(auth.Claims{Subject: sub, Tenant: req.Tenant, Roles: []string{req.Role}}, h.settings.DevTokenTTL)
	if err != nil {
		h.settings.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(devTokenResponse{Token: tok, Subject: sub, ExpiresAt: time.Now().Add(h.settings.DevTokenTTL).UTC()})
}
