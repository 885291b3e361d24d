package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/salga/trustengine/libs/config"
	"github.com/salga/trustengine/services/notify/internal/peers"
)

// DevLinkSecret is the published development value of NOTIFY_LINK_SECRET,
// used only in development mode.
const DevLinkSecret = "dev-only-notify-link-secret-change-me"

// Config is every setting of the notify service, read from the environment
// (see the service's README).
type Config struct {
	config.Common
	config.GBV

	// RoutingAddr and SLAAddr are where routing and SLA are (ROUTING_ADDR,
	// SLA_ADDR). Without both, events are recorded but not planned here.
	RoutingAddr string `env:"ROUTING_ADDR"`
	SLAAddr     string `env:"SLA_ADDR"`
	// PublicURL is the gateway's public URL (NOTIFY_PUBLIC_URL): links in
	// messages and the webhook URLs providers sign start with it.
	PublicURL string `env:"NOTIFY_PUBLIC_URL" envDefault:"http://127.0.0.1:8080"`
	// LinkSecret signs unsubscribe links and keys the opt-out hashes
	// (NOTIFY_LINK_SECRET); required outside development mode.
	LinkSecret string `env:"NOTIFY_LINK_SECRET"`
	// ReleaseInterval is how often what waited is looked at
	// (NOTIFY_RELEASE_INTERVAL).
	ReleaseInterval time.Duration `env:"NOTIFY_RELEASE_INTERVAL" envDefault:"15s"`
	// MigrateOnly migrates the schema and exits (MIGRATE_ONLY=1).
	MigrateOnly bool `env:"MIGRATE_ONLY"`

	// SMTP: email is sent when SMTP_ADDR is set.
	SMTPAddr     string  `env:"SMTP_ADDR"`
	SMTPUsername string  `env:"SMTP_USERNAME"`
	SMTPPassword string  `env:"SMTP_PASSWORD"`
	SMTPFrom     string  `env:"SMTP_FROM" envDefault:"Trust Engine <noreply@trustengine.invalid>"`
	SMTPSecurity string  `env:"SMTP_SECURITY" envDefault:"starttls"`
	SMTPCAFile   string  `env:"SMTP_CA_FILE"`
	SMTPRate     float64 `env:"SMTP_RATE" envDefault:"10"`

	// SMSProvider is twilio, clickatell or empty (no SMS from here).
	SMSProvider               string  `env:"SMS_PROVIDER"`
	SMSRate                   float64 `env:"SMS_RATE" envDefault:"5"`
	TwilioBaseURL             string  `env:"TWILIO_BASE_URL" envDefault:"https://api.twilio.com"`
	TwilioAccountSID          string  `env:"TWILIO_ACCOUNT_SID"`
	TwilioAuthToken           string  `env:"TWILIO_AUTH_TOKEN"`
	TwilioFrom                string  `env:"TWILIO_FROM"`
	TwilioMessagingServiceSID string  `env:"TWILIO_MESSAGING_SERVICE_SID"`
	ClickatellBaseURL         string  `env:"CLICKATELL_BASE_URL" envDefault:"https://platform.clickatell.com"`
	ClickatellAPIKey          string  `env:"CLICKATELL_API_KEY"`
	ClickatellCallbackToken   string  `env:"CLICKATELL_CALLBACK_TOKEN"`
	WhatsAppBaseURL           string  `env:"WHATSAPP_BASE_URL" envDefault:"https://graph.facebook.com/v21.0"`
	WhatsAppToken             string  `env:"WHATSAPP_TOKEN"`
	WhatsAppPhoneNumberID     string  `env:"WHATSAPP_PHONE_NUMBER_ID"`
	WhatsAppAppSecret         string  `env:"WHATSAPP_APP_SECRET"`
	WhatsAppVerifyToken       string  `env:"WHATSAPP_VERIFY_TOKEN"`
	WhatsAppUpdateTemplate    string  `env:"WHATSAPP_UPDATE_TEMPLATE" envDefault:"ticket_update"`
	WhatsAppGBVTemplate       string  `env:"WHATSAPP_GBV_TEMPLATE" envDefault:"reference_update"`
	WhatsAppRate              float64 `env:"WHATSAPP_RATE" envDefault:"20"`
	WebhookRate               float64 `env:"WEBHOOK_RATE" envDefault:"10"`
}

// loadConfig reads the configuration, filling the notify service's default
// ports (gRPC :9104, admin :9204), resolving its keys and refusing settings
// that only development may use.
func loadConfig() (Config, error) {
	var c Config
	err := config.Load(&c)
	if err != nil {
		return Config{}, fmt.Errorf("notify: %w", err)
	}
	c.Common = c.WithDefaults(":9104", ":9204")
	if c.MigrateOnly {
		return c, nil
	}
	if c.Auth, err = c.Auth.ForService(); err != nil {
		return Config{}, err
	}
	if err := c.check(); err != nil {
		return Config{}, fmt.Errorf("notify: %w", err)
	}
	return c, nil
}

// check refuses what a process outside development mode may not run
// with, and provider settings that cannot work.
func (c *Config) check() error {
	switch {
	case c.LinkSecret == "" && c.DevMode:
		c.LinkSecret = DevLinkSecret
	case c.LinkSecret == "":
		return errors.New("NOTIFY_LINK_SECRET is empty: set it to 32 random bytes or more (openssl rand -base64 48), or set " + config.DevModeVar + "=1 for development")
	case !c.DevMode && (len(c.LinkSecret) < 32 || c.LinkSecret == DevLinkSecret):
		return errors.New("NOTIFY_LINK_SECRET must be at least 32 bytes and not the published development value")
	}
	if u, err := url.Parse(c.PublicURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("NOTIFY_PUBLIC_URL %q must be an absolute http(s) URL", c.PublicURL)
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.SMTPAddr != "" {
		switch c.SMTPSecurity {
		case peers.SMTPStartTLS, peers.SMTPImplicitTLS:
		case peers.SMTPPlain:
			if !c.DevMode {
				return errors.New("SMTP_SECURITY=none sends mail and passwords in the clear, only in development mode: set SMTP_ADDR to your " +
					"submission server and SMTP_SECURITY=starttls (or tls), or SMTP_ADDR= for no email")
			}
		default:
			return fmt.Errorf("SMTP_SECURITY %q must be starttls, tls or none", c.SMTPSecurity)
		}
	}
	switch c.SMSProvider {
	case "":
	case "twilio":
		if c.TwilioAccountSID == "" || c.TwilioAuthToken == "" || (c.TwilioFrom == "" && c.TwilioMessagingServiceSID == "") {
			return errors.New("SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID")
		}
	case "clickatell":
		if c.ClickatellAPIKey == "" || len(c.ClickatellCallbackToken) < 16 {
			return errors.New("SMS_PROVIDER=clickatell needs CLICKATELL_API_KEY and a CLICKATELL_CALLBACK_TOKEN of 16 characters or more")
		}
	default:
		return fmt.Errorf("SMS_PROVIDER %q must be twilio, clickatell or empty", c.SMSProvider)
	}
	if c.WhatsAppToken != "" && (c.WhatsAppPhoneNumberID == "" || c.WhatsAppAppSecret == "") {
		return errors.New("WHATSAPP_TOKEN needs WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_APP_SECRET")
	}
	return nil
}
