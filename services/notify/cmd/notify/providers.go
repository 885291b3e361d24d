package main

import (
	"slices"

	"github.com/salga/trustengine/services/notify/internal/app"
	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/peers"
)

// providerSet are the senders and webhook readers this process has.
type providerSet struct {
	senders map[domain.Channel]app.Sender
	inbound map[string]app.Inbound
}

// channels are the channels this process sends on, in a fixed order.
func (p providerSet) channels() []domain.Channel {
	return slices.DeleteFunc(slices.Clone(domain.Channels), func(ch domain.Channel) bool { return p.senders[ch] == nil })
}

// providers builds the providers cfg configures. Team webhooks need no
// settings, so every process sends them.
func providers(cfg Config, links domain.Links) (providerSet, error) {
	p := providerSet{senders: map[domain.Channel]app.Sender{}, inbound: map[string]app.Inbound{}}
	p.senders[domain.ChannelWebhook] = peers.NewWebhooks(cfg.WebhookRate)
	if cfg.SMTPAddr != "" {
		s, err := peers.NewSMTP(peers.SMTPConfig{Addr: cfg.SMTPAddr, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
			From: cfg.SMTPFrom, Security: cfg.SMTPSecurity, CAFile: cfg.SMTPCAFile, Rate: cfg.SMTPRate})
		if err != nil {
			return p, err
		}
		p.senders[domain.ChannelEmail] = s
	}
	switch cfg.SMSProvider {
	case "twilio":
		t := peers.NewTwilio(peers.TwilioConfig{BaseURL: cfg.TwilioBaseURL, AccountSID: cfg.TwilioAccountSID, AuthToken: cfg.TwilioAuthToken,
			From: cfg.TwilioFrom, MessagingServiceSID: cfg.TwilioMessagingServiceSID, Rate: cfg.SMSRate,
			Callback: func(tenant string) string { return links.WebhookURL(tenant, "twilio") }})
		p.senders[domain.ChannelSMS], p.inbound["twilio"] = t, t
	case "clickatell":
		c := peers.NewClickatell(peers.ClickatellConfig{BaseURL: cfg.ClickatellBaseURL, APIKey: cfg.ClickatellAPIKey,
			CallbackToken: cfg.ClickatellCallbackToken, Rate: cfg.SMSRate})
		p.senders[domain.ChannelSMS], p.inbound["clickatell"] = c, c
	}
	if cfg.WhatsAppToken != "" {
		w := peers.NewWhatsApp(peers.WhatsAppConfig{BaseURL: cfg.WhatsAppBaseURL, Token: cfg.WhatsAppToken, PhoneNumberID: cfg.WhatsAppPhoneNumberID,
			AppSecret: cfg.WhatsAppAppSecret, VerifyToken: cfg.WhatsAppVerifyToken, UpdateTemplate: cfg.WhatsAppUpdateTemplate,
			GBVTemplate: cfg.WhatsAppGBVTemplate, Rate: cfg.WhatsAppRate})
		p.senders[domain.ChannelWhatsApp], p.inbound["whatsapp"] = w, w
	}
	return p, nil
}
