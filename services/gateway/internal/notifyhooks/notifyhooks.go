// Package notifyhooks serves what the notify service receives from outside
// through the gateway: providers' webhooks (delivery receipts, replies
// such as STOP) and the unsubscribe links in messages. It forwards each
// request, as it came, to NotifyInternalService with the gateway's own
// token for the municipality in the URL; notify verifies the provider's
// signature (or the link's) and changes nothing without it.
package notifyhooks

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/peers"
	"github.com/salga/trustengine/libs/vocab"
)

// Paths served.
const (
	// WebhookPrefix + "{tenant}/{provider}" receives a provider's webhook.
	WebhookPrefix = "/notify/webhooks/"
	// UnsubscribePath shows (GET) and performs (POST) an opt-out.
	UnsubscribePath = "/notify/unsubscribe"
)

// maxBody bounds a webhook's body, as notify does.
const maxBody = 1 << 20

// callTimeout bounds the forwarded call: providers retry on a timeout.
const callTimeout = 10 * time.Second

// forwarded are the request headers notify reads.
var forwarded = []string{"Content-Type", "X-Twilio-Signature", "X-Hub-Signature-256"}

// Handler serves the webhook and unsubscribe paths.
type Handler struct {
	notify notifyv1.NotifyInternalServiceClient
}

// New returns the handler over notify's internal service, dialed with
// libs/peers as the gateway's identity.
func New(notify notifyv1.NotifyInternalServiceClient) *Handler { return &Handler{notify: notify} }

// Register adds the paths to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc(WebhookPrefix, h.webhook)
	mux.HandleFunc(UnsubscribePath, h.unsubscribe)
}

// webhook forwards POST (and WhatsApp's GET subscription check) of
// /notify/webhooks/{tenant}/{provider} and answers as notify says: 401
// for an unsigned request, 403 for a wrong signature.
func (h *Handler) webhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	tenant, provider, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, WebhookPrefix), "/")
	p, known := vocab.Parse[notifyv1.WebhookProvider](provider)
	if !ok || !known || !auth.IsTenantCode(tenant) {
		http.Error(w, "no such webhook", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	headers := map[string]string{}
	for _, k := range forwarded {
		if v := r.Header.Get(k); v != "" {
			headers[k] = v
		}
	}
	ctx, cancel := context.WithTimeout(peers.ForTenant(r.Context(), tenant), callTimeout)
	defer cancel()
	resp, err := h.notify.ReceiveWebhook(ctx, &notifyv1.ReceiveWebhookRequest{Tenant: tenant, Provider: p, Method: r.Method,
		Path: r.URL.RequestURI(), Headers: headers, Body: body})
	if err != nil {
		http.Error(w, http.StatusText(httpCode(err)), httpCode(err))
		return
	}
	w.Header().Set("Content-Type", resp.GetContentType())
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(int(resp.GetHttpStatus()))
	_, _ = w.Write(resp.GetBody())
}

// httpCode is the HTTP status of a forwarded call's failure.
func httpCode(err error) int {
	switch status.Code(err) {
	case codes.Unauthenticated:
		return http.StatusUnauthorized
	case codes.PermissionDenied:
		return http.StatusForbidden
	case codes.NotFound:
		return http.StatusNotFound
	case codes.InvalidArgument:
		return http.StatusBadRequest
	case codes.FailedPrecondition:
		return http.StatusConflict
	}
	return http.StatusServiceUnavailable
}

// page is the unsubscribe page: a confirmation form (GET), or the result
// (POST). GET changes nothing, so a mail scanner following the link does
// not opt anyone out; the one-click POST of RFC 8058 does.
var page = template.Must(template.New("p").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Trust Engine</title></head><body>
{{if .Done}}<p>{{.Done}}</p>{{else if .Ask}}<form method="post"><p>{{.Ask}}</p><button type="submit">{{.Button}}</button></form>
{{else}}<p>{{.Err}}</p>{{end}}
</body></html>`))

// words are the page's words in each language.
var words = map[string][4]string{
	"en": {"Stop these messages on this channel?", "Stop", "You will get no more messages on this channel.", "This link is not valid."},
	"af": {"Hou op met hierdie boodskappe op hierdie kanaal?", "Hou op", "U sal geen boodskappe meer op hierdie kanaal kry nie.", "Hierdie skakel is nie geldig nie."},
	"zu": {"Misa le milayezo kulesi siteshi?", "Misa", "Ngeke usathola milayezo kulesi siteshi.", "Lesi sixhumanisi asisebenzi."},
	"xh": {"Yeka le miyalezo kweli jelo?", "Yeka", "Akusayi kuphinda ufumane miyalezo kweli jelo.", "Eli khonkco alisebenzi."},
}

// unsubscribe shows the confirmation (GET) or opts out (POST) for
// ?tenant=&message=&sig=.
func (h *Handler) unsubscribe(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	tenant := q.Get("tenant")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; form-action 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	data := map[string]string{"Lang": "en"}
	if !auth.IsTenantCode(tenant) {
		w.WriteHeader(http.StatusNotFound)
		data["Err"] = words["en"][3]
		_ = page.Execute(w, data)
		return
	}
	ctx, cancel := context.WithTimeout(peers.ForTenant(r.Context(), tenant), callTimeout)
	defer cancel()
	resp, err := h.notify.Unsubscribe(ctx, &notifyv1.UnsubscribeRequest{Tenant: tenant, MessageId: q.Get("message"),
		Signature: q.Get("sig"), Confirm: r.Method == http.MethodPost})
	lang := "en"
	if err == nil {
		if l := vocab.Word(resp.GetLanguage()); l != "" {
			lang = l
		}
	}
	ws := words[lang]
	data["Lang"] = lang
	switch {
	case err != nil:
		w.WriteHeader(httpCode(err))
		data["Err"] = ws[3]
	case resp.GetUnsubscribed():
		data["Done"] = ws[2]
	default:
		data["Ask"], data["Button"] = ws[0], ws[1]
	}
	_ = page.Execute(w, data)
}
