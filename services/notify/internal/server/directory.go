package server

import (
	"context"

	notifyv1 "github.com/salga/trustengine/gen/go/salga/notify/v1"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// SetStaffContact implements NotifyService.
func (s *Server) SetStaffContact(ctx context.Context, req *notifyv1.SetStaffContactRequest) (*notifyv1.SetStaffContactResponse, error) {
	lang, err := enumIn(req.GetContact().GetLanguage(), "contact.language")
	if err != nil {
		return nil, err
	}
	c, err := s.app.SetStaffContact(ctx, domain.StaffContact{UserID: req.GetUserId(), Email: req.GetContact().GetEmail(), Language: domain.Language(lang)})
	if err != nil {
		return nil, err
	}
	return &notifyv1.SetStaffContactResponse{Contact: staffOut(c)}, nil
}

func staffOut(c domain.StaffContact) *notifyv1.StaffContact {
	return &notifyv1.StaffContact{UserId: c.UserID, Email: c.Email, Language: languageOut(c.Language), UpdateTime: ts(&c.Update)}
}

// DeleteStaffContact implements NotifyService.
func (s *Server) DeleteStaffContact(ctx context.Context, req *notifyv1.DeleteStaffContactRequest) (*notifyv1.DeleteStaffContactResponse, error) {
	if err := s.app.DeleteStaffContact(ctx, req.GetUserId()); err != nil {
		return nil, err
	}
	return &notifyv1.DeleteStaffContactResponse{}, nil
}

// ListStaffContacts implements NotifyService.
func (s *Server) ListStaffContacts(ctx context.Context, _ *notifyv1.ListStaffContactsRequest) (*notifyv1.ListStaffContactsResponse, error) {
	cs, err := s.app.ListStaffContacts(ctx)
	if err != nil {
		return nil, err
	}
	out := &notifyv1.ListStaffContactsResponse{}
	for _, c := range cs {
		out.Contacts = append(out.Contacts, staffOut(c))
	}
	return out, nil
}

// SetTeamChannel implements NotifyService.
func (s *Server) SetTeamChannel(ctx context.Context, req *notifyv1.SetTeamChannelRequest) (*notifyv1.SetTeamChannelResponse, error) {
	in := req.GetChannel()
	lang, err := enumIn(in.GetLanguage(), "channel.language")
	if err != nil {
		return nil, err
	}
	ch, err := s.app.SetTeamChannel(ctx, domain.TeamChannel{TeamID: req.GetTeamId(), Emails: in.GetEmails(), WebhookURL: in.GetWebhookUrl(),
		WebhookSecret: in.GetWebhookSecret(), BusinessHoursOnly: in.GetBusinessHoursOnly(), Language: domain.Language(lang)})
	if err != nil {
		return nil, err
	}
	return &notifyv1.SetTeamChannelResponse{Channel: channelOut(ch)}, nil
}

// channelOut maps a team channel without its secret.
func channelOut(c domain.TeamChannel) *notifyv1.TeamChannel {
	return &notifyv1.TeamChannel{TeamId: c.TeamID, Emails: c.Emails, WebhookUrl: c.WebhookURL, HasWebhookSecret: c.WebhookSecret != "",
		BusinessHoursOnly: c.BusinessHoursOnly, Language: languageOut(c.Language), UpdateTime: ts(&c.Update)}
}

// DeleteTeamChannel implements NotifyService.
func (s *Server) DeleteTeamChannel(ctx context.Context, req *notifyv1.DeleteTeamChannelRequest) (*notifyv1.DeleteTeamChannelResponse, error) {
	if err := s.app.DeleteTeamChannel(ctx, req.GetTeamId()); err != nil {
		return nil, err
	}
	return &notifyv1.DeleteTeamChannelResponse{}, nil
}

// ListTeamChannels implements NotifyService.
func (s *Server) ListTeamChannels(ctx context.Context, _ *notifyv1.ListTeamChannelsRequest) (*notifyv1.ListTeamChannelsResponse, error) {
	cs, err := s.app.ListTeamChannels(ctx)
	if err != nil {
		return nil, err
	}
	out := &notifyv1.ListTeamChannelsResponse{}
	for _, c := range cs {
		out.Channels = append(out.Channels, channelOut(c))
	}
	return out, nil
}
