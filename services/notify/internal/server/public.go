package server

import (
	"context"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/libs/vocab"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// ListTicketMessages implements NotifyService.
func (s *Server) ListTicketMessages(ctx context.Context, req *notifyv1.ListTicketMessagesRequest) (*notifyv1.ListTicketMessagesResponse, error) {
	ms, err := s.app.ListTicketMessages(ctx, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	out := &notifyv1.ListTicketMessagesResponse{}
	for _, m := range ms {
		out.Messages = append(out.Messages, messageOut(m))
	}
	return out, nil
}

// messageOut maps a message.
func messageOut(m domain.Message) *notifyv1.Message {
	return &notifyv1.Message{Id: m.ID, TicketId: m.TicketID, EventId: m.EventID, EventKind: vocab.MustParse[notifyv1.EventKind](string(m.Kind)),
		RecipientKind: vocab.MustParse[notifyv1.RecipientKind](string(m.Recipient)), RecipientId: m.RecipientID,
		Channel: vocab.MustParse[notifyv1.MessageChannel](string(m.Channel)), Language: languageOut(m.Language),
		State: vocab.MustParse[notifyv1.MessageState](string(m.State)), Subject: m.Subject, Body: m.Body, Provider: m.Provider,
		ProviderMessageId: m.ProviderMessageID, Error: m.Error, Attempts: m.Attempts, NotBefore: ts(m.NotBefore),
		DigestId: m.DigestID, CreateTime: ts(&m.Create), UpdateTime: ts(&m.Update), SentTime: ts(m.Sent), DeliveredTime: ts(m.Delivered)}
}

// languageOut maps a language.
func languageOut(l domain.Language) commonv1.Language {
	return vocab.MustParse[commonv1.Language](string(l.Or()))
}

// GetReporterPreferences implements NotifyService.
func (s *Server) GetReporterPreferences(ctx context.Context, req *notifyv1.GetReporterPreferencesRequest) (*notifyv1.GetReporterPreferencesResponse, error) {
	v, err := s.app.GetReporterPreferences(ctx, req.GetTicketId())
	if err != nil {
		return nil, err
	}
	return &notifyv1.GetReporterPreferencesResponse{Preferences: preferencesOut(v.Preferences),
		Reachable: contactChannels(v.Reachable), OptedOut: contactChannels(v.OptedOut)}, nil
}

// UpdateReporterPreferences implements NotifyService.
func (s *Server) UpdateReporterPreferences(ctx context.Context, req *notifyv1.UpdateReporterPreferencesRequest) (*notifyv1.UpdateReporterPreferencesResponse, error) {
	p, err := preferencesIn(req.GetPreferences(), "preferences")
	if err != nil {
		return nil, err
	}
	v, err := s.app.UpdateReporterPreferences(ctx, req.GetTicketId(), p)
	if err != nil {
		return nil, err
	}
	return &notifyv1.UpdateReporterPreferencesResponse{Preferences: preferencesOut(v.Preferences)}, nil
}

// GetNotifySettings implements NotifyService.
func (s *Server) GetNotifySettings(ctx context.Context, _ *notifyv1.GetNotifySettingsRequest) (*notifyv1.GetNotifySettingsResponse, error) {
	st, err := s.app.GetNotifySettings(ctx)
	if err != nil {
		return nil, err
	}
	return &notifyv1.GetNotifySettingsResponse{Settings: settingsOut(st)}, nil
}

// UpdateNotifySettings implements NotifyService.
func (s *Server) UpdateNotifySettings(ctx context.Context, req *notifyv1.UpdateNotifySettingsRequest) (*notifyv1.UpdateNotifySettingsResponse, error) {
	st, err := s.app.UpdateNotifySettings(ctx, domain.Settings{ReporterAtNight: req.GetSettings().GetReporterMessagesAtNight()})
	if err != nil {
		return nil, err
	}
	return &notifyv1.UpdateNotifySettingsResponse{Settings: settingsOut(st)}, nil
}

func settingsOut(st domain.Settings) *notifyv1.NotifySettings {
	return &notifyv1.NotifySettings{Tenant: st.Tenant, ReporterMessagesAtNight: st.ReporterAtNight, UpdateTime: ts(st.Update)}
}
