package server

import (
	"context"
	"fmt"
	"net/http"

	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/pbtime"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/notify/internal/app"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// RecordTicketEvent implements NotifyInternalService.
func (s *Server) RecordTicketEvent(ctx context.Context, req *notifyv1.RecordTicketEventRequest) (*notifyv1.RecordTicketEventResponse, error) {
	ev, err := eventIn(req, "")
	if err != nil {
		return nil, err
	}
	applied, err := s.app.RecordTicketEvent(ctx, ev)
	if err != nil {
		return nil, err
	}
	return &notifyv1.RecordTicketEventResponse{Applied: applied}, nil
}

// BatchRecordTicketEvents implements NotifyInternalService.
func (s *Server) BatchRecordTicketEvents(ctx context.Context, req *notifyv1.BatchRecordTicketEventsRequest) (*notifyv1.BatchRecordTicketEventsResponse, error) {
	b := access.Batch[*domain.Event]{Tenant: req.GetTenant()}
	for i, r := range req.GetRequests() {
		ev, err := eventIn(r, fmt.Sprintf("requests[%d].", i))
		if err != nil {
			return nil, err
		}
		b.Items = append(b.Items, &ev)
	}
	applied, err := s.app.BatchRecordTicketEvents(ctx, b)
	if err != nil {
		return nil, err
	}
	return &notifyv1.BatchRecordTicketEventsResponse{Applied: applied}, nil
}

// eventIn is the domain event of req; prefix goes before the names of the
// fields it refuses.
func eventIn(req *notifyv1.RecordTicketEventRequest, prefix string) (domain.Event, error) {
	ev := domain.Event{ID: req.GetEventId(), Tenant: req.GetTenant(), TicketID: req.GetTicketId(), Reference: req.GetReference(),
		ReporterSubject: req.GetReporterSubject(), TeamID: req.GetTeamId(), TeamName: req.GetTeamName(), PersonID: req.GetPersonId(),
		EscalationLevel: req.GetEscalationLevel(), Deadline: pbtime.In(req.GetDeadline()), Note: req.GetNote(), Sequence: req.GetSequence(),
		Followers: req.GetFollowerTicketIds()}
	var bad error
	get := func(w string, err error) string {
		if bad == nil {
			bad = err
		}
		return w
	}
	ev.Category = get(vocab.Field(req.GetCategory(), prefix+"category", unknownValue))
	ev.Kind = domain.Kind(get(vocab.Field(req.GetKind(), prefix+"kind", unknownValue)))
	ev.From = get(vocab.Field(req.GetFromStatus(), prefix+"from_status", unknownValue))
	ev.To = get(vocab.Field(req.GetToStatus(), prefix+"to_status", unknownValue))
	ev.AssignmentReason = get(vocab.Field(req.GetAssignmentReason(), prefix+"assignment_reason", unknownValue))
	ev.Clock = get(vocab.Field(req.GetClock(), prefix+"clock", unknownValue))
	if bad != nil {
		return ev, bad
	}
	if t := pbtime.In(req.GetOccurTime()); t != nil {
		ev.OccurTime = *t
	}
	if r := req.GetReporter(); r != nil {
		ev.Reporter = domain.Contact{Name: r.GetName(), Phone: r.GetPhone(), Email: r.GetEmail()}
	}
	if p := req.GetReporterPreferences(); p != nil {
		prefs, err := preferencesIn(p, prefix+"reporter_preferences")
		if err != nil {
			return ev, err
		}
		ev.Preferences = &prefs
	}
	return ev, nil
}

// webhookHeaders are the request headers a webhook's handling reads.
var webhookHeaders = []string{"Content-Type", "X-Twilio-Signature", "X-Hub-Signature-256"}

// ReceiveWebhook implements NotifyInternalService.
func (s *Server) ReceiveWebhook(ctx context.Context, req *notifyv1.ReceiveWebhookRequest) (*notifyv1.ReceiveWebhookResponse, error) {
	provider, err := vocab.Field(req.GetProvider(), "provider", unknownValue)
	if err != nil {
		return nil, err
	}
	h := map[string]string{}
	for _, k := range webhookHeaders {
		if v, ok := req.GetHeaders()[k]; ok {
			h[k] = v
		}
	}
	got, err := s.app.ReceiveWebhook(ctx, domain.Webhook{Tenant: req.GetTenant(), Provider: provider, Method: req.GetMethod(),
		URL: s.app.Links.BaseURL + req.GetPath(), Headers: h, Body: req.GetBody()})
	if err != nil {
		return nil, err
	}
	out := &notifyv1.ReceiveWebhookResponse{HttpStatus: http.StatusOK, ContentType: got.Inbound.ContentType, Body: got.Inbound.Answer,
		Receipts: int32(got.Receipts), OptOuts: int32(got.OptOuts)}
	if out.ContentType == "" {
		out.ContentType = "text/plain"
	}
	return out, nil
}

// Unsubscribe implements NotifyInternalService.
func (s *Server) Unsubscribe(ctx context.Context, req *notifyv1.UnsubscribeRequest) (*notifyv1.UnsubscribeResponse, error) {
	got, err := s.app.Unsubscribe(ctx, app.UnsubscribeInput{Tenant: req.GetTenant(), MessageID: req.GetMessageId(),
		Signature: req.GetSignature(), Confirm: req.GetConfirm()})
	if err != nil {
		return nil, err
	}
	return &notifyv1.UnsubscribeResponse{Channel: vocab.MustParse[notifyv1.MessageChannel](string(got.Channel)),
		Language: languageOut(got.Language), Unsubscribed: got.Done}, nil
}

// SendReportExport implements NotifyInternalService.
func (s *Server) SendReportExport(ctx context.Context, req *notifyv1.SendReportExportRequest) (*notifyv1.SendReportExportResponse, error) {
	n, err := s.app.SendReportExport(ctx, domain.ReportMail{Tenant: req.GetTenant(), ExportID: req.GetExportId(),
		Recipients: req.GetRecipients(), Subject: req.GetSubject(), Body: req.GetBody(),
		File: domain.Attachment{Name: req.GetFileName(), Type: req.GetContentType(), Content: req.GetContent()}})
	if err != nil {
		return nil, err
	}
	return &notifyv1.SendReportExportResponse{Queued: int32(n)}, nil
}
