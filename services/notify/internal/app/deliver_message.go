package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// whatsAppWindow is how long after a person's last message WhatsApp lets
// a business answer with free text; outside it only approved templates.
const whatsAppWindow = 24 * time.Hour

// DeliverMessage sends message id of tenant (a queued job). It finds the
// recipient's address at send time, so an opt-out, a changed preference or
// a changed staff contact counts until the last moment; marks the message
// sending; hands it to the channel's provider outside any transaction;
// then records the outcome. A temporary failure returns an error, so the
// queue retries under its backoff (nothing is lost however long a
// provider is down); a permanent one fails the message for good. A
// message no longer queued (sent, suppressed, digested) is left alone, so
// a job run twice sends once; only a crash between the provider's answer
// and its record sends again.
func (a *App) DeliverMessage(ctx context.Context, tenant, id string) error {
	c := worker(tenant)
	var (
		out  domain.Outgoing
		send bool
	)
	err := a.inTx(ctx, c.Scope(), func(tx pgx.Tx) error {
		m, err := a.Store.GetMessage(ctx, tx, id, true)
		if err != nil || (m.State != domain.StateQueued && m.State != domain.StateSending) {
			return err
		}
		now := a.timestamp()
		o, suppressed, err := a.destination(ctx, tx, m, now)
		if err != nil {
			return err
		}
		m.Update = now
		if suppressed != "" {
			m.State, m.Error = domain.StateSuppressed, suppressed
			return a.Store.SetState(ctx, tx, m)
		}
		m.State, m.Attempts = domain.StateSending, m.Attempts+1
		out, send = o, true
		return a.Store.SetState(ctx, tx, m)
	})
	if err != nil || !send {
		return wrap("DeliverMessage", err)
	}
	sender, ok := a.Senders[out.Channel]
	if !ok {
		return wrap("DeliverMessage", fmt.Errorf("no provider for %s", out.Channel))
	}
	sent, sendErr := sender.Send(ctx, out)
	// The outcome is recorded even when the job's time ran out meanwhile:
	// the provider has answered, and a later run must know it.
	rctx := context.WithoutCancel(ctx)
	err = a.inTx(rctx, c.Scope(), func(tx pgx.Tx) error {
		return a.recordOutcome(rctx, tx, id, sent, sendErr)
	})
	if err != nil {
		return wrap("DeliverMessage", err)
	}
	if _, permanent := domain.IsPermanent(sendErr); sendErr != nil && !permanent {
		return wrap("DeliverMessage", sendErr)
	}
	return nil
}

// recordOutcome records what the provider answered for message id, and
// applies any receipt that came before this record.
func (a *App) recordOutcome(ctx context.Context, tx pgx.Tx, id string, sent domain.Sent, sendErr error) error {
	m, err := a.Store.GetMessage(ctx, tx, id, true)
	if err != nil || m.State != domain.StateSending {
		return err
	}
	now := a.timestamp()
	m.Update = now
	if reason, permanent := domain.IsPermanent(sendErr); permanent {
		m.State, m.Error = domain.StateFailed, reason
		return a.Store.SetState(ctx, tx, m)
	}
	if sendErr != nil {
		m.State, m.Error = domain.StateQueued, sendErr.Error()
		return a.Store.SetState(ctx, tx, m)
	}
	m.State, m.Error, m.Provider, m.ProviderMessageID, m.Sent = domain.StateSent, "", sent.Provider, sent.ProviderMessageID, &now
	if sent.Delivered {
		m.State, m.Delivered = domain.StateDelivered, &now
	}
	if m.ProviderMessageID != "" {
		early, err := a.Store.Receipts(ctx, tx, m.Tenant, m.Provider, m.ProviderMessageID)
		if err != nil {
			return err
		}
		for _, r := range early {
			r.Apply(&m, now)
		}
	}
	return a.Store.SetState(ctx, tx, m)
}

// destination is where and how m goes, or why it may not ("" when it
// may): the reporter's address on m's channel while they still accept it
// and have not opted out (a follower's, as the reporter of their own
// ticket); a staff contact's email; a team's emails or
// webhook.
func (a *App) destination(ctx context.Context, tx pgx.Tx, m domain.Message, now time.Time) (domain.Outgoing, string, error) {
	v := domain.Visibility{Tenant: m.Tenant, GBV: true}
	link := a.Links.Unsubscribe(m.Tenant, m.ID)
	subject, body := domain.Finish(m, link)
	o := domain.Outgoing{MessageID: m.ID, Tenant: m.Tenant, Channel: m.Channel, Subject: subject, Body: body,
		Language: m.Language, GBV: m.GBV}
	var t domain.Ticket
	if m.TicketID != "" {
		var err error
		if t, err = a.Store.GetTicket(ctx, tx, m.TicketID, v); err != nil {
			return o, "", err
		}
		o.TemplateParams = []string{t.Reference, domain.StatusWords(t.Status, m.Language)}
		if m.GBV {
			o.TemplateParams = o.TemplateParams[:1]
		}
	}
	switch m.Recipient {
	case domain.RecipientReporter, domain.RecipientFollower:
		// A follower is reached as the reporter of their own ticket.
		of := m.TicketID
		if m.Recipient == domain.RecipientFollower {
			of = m.RecipientID
		}
		r, err := a.Store.GetReporter(ctx, tx, of, v, false)
		if errors.Is(err, domain.ErrReporterNotFound) {
			return o, "the reporter is not known", nil
		}
		if err != nil {
			return o, "", err
		}
		if m.Recipient == domain.RecipientFollower && (r.GBV || m.GBV) {
			return o, "GBV reports follow nothing and are followed by no one", nil
		}
		if !slices.Contains(r.Accepts(), m.Channel) {
			return o, "the reporter no longer accepts this channel", nil
		}
		addr := r.Contact.Address(m.Channel)
		hash := a.Links.AddressHash(m.Tenant, m.Channel, addr)
		out, err := a.Store.OptedOut(ctx, tx, m.Tenant, m.Channel, hash)
		if err != nil || out {
			return o, "the recipient opted out of this channel", err
		}
		if m.Channel == domain.ChannelWhatsApp {
			last, err := a.Store.LastInbound(ctx, tx, m.Tenant, m.Channel, hash)
			if err != nil {
				return o, "", err
			}
			o.InWindow = last != nil && now.Sub(*last) < whatsAppWindow
		}
		o.To, o.Unsubscribe = []string{addr}, link
	case domain.RecipientStaff:
		cs, err := a.Store.StaffContacts(ctx, tx, m.Tenant, []string{m.RecipientID})
		if err != nil || len(cs) == 0 {
			return o, "no staff contact for this user", err
		}
		out, err := a.Store.OptedOut(ctx, tx, m.Tenant, m.Channel, a.Links.AddressHash(m.Tenant, m.Channel, cs[0].Email))
		if err != nil || out {
			return o, "the recipient opted out of this channel", err
		}
		o.To, o.Unsubscribe = []string{cs[0].Email}, link
	case domain.RecipientAddress:
		out, err := a.Store.OptedOut(ctx, tx, m.Tenant, m.Channel, a.Links.AddressHash(m.Tenant, m.Channel, m.RecipientID))
		if err != nil || out {
			return o, "the recipient opted out of this channel", err
		}
		o.To, o.Attachment = []string{m.RecipientID}, m.Attachment
	case domain.RecipientTeam:
		chs, err := a.Store.TeamChannels(ctx, tx, m.Tenant, []string{m.RecipientID})
		if err != nil || len(chs) == 0 {
			return o, "the team has no channel", err
		}
		switch {
		case m.Channel == domain.ChannelEmail && len(chs[0].Emails) > 0:
			o.To = chs[0].Emails
		case m.Channel == domain.ChannelWebhook && chs[0].WebhookURL != "":
			o.To, o.Secret, o.Payload = []string{chs[0].WebhookURL}, chs[0].WebhookSecret, domain.PayloadOf(m, t)
		default:
			return o, "the team's channel has no " + string(m.Channel), nil
		}
	}
	return o, "", nil
}
