package app

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/apperr"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// Received is what a webhook changed, and what to answer the provider.
type Received struct {
	Inbound  domain.Inbound
	Receipts int
	OptOuts  int
}

// ReceiveWebhook handles a provider's webhook the gateway forwarded for
// the municipality in its URL (internal RPC; the gateway's identity may
// call it). The provider's signature is checked first: unsigned or wrongly
// signed, it changes nothing. Then, as the service's own work for that
// municipality (the messages may be a GBV ticket's), receipts move
// messages forward and a STOP opts its sender out of the channel.
func (a *App) ReceiveWebhook(ctx context.Context, w domain.Webhook) (Received, error) {
	var out Received
	if _, err := internalCaller(ctx, access.Caller.RequireInternal, &w); err != nil {
		return out, err
	}
	parser, ok := a.Inbound[w.Provider]
	if !ok {
		return out, domain.ErrNoProvider
	}
	in, err := parser.Parse(w)
	if err != nil {
		return out, err
	}
	out.Inbound = in
	if len(in.Receipts) == 0 && len(in.Replies) == 0 {
		return out, nil
	}
	err = a.inTx(ctx, jobCaller(w.Tenant).Scope(), func(tx pgx.Tx) error {
		out.Receipts, out.OptOuts = 0, 0
		now := a.timestamp()
		for _, r := range in.Receipts {
			applied, err := a.applyReceipt(ctx, tx, w.Tenant, w.Provider, r)
			if err != nil {
				return err
			}
			if applied {
				out.Receipts++
			}
		}
		for _, r := range in.Replies {
			hash := a.Links.AddressHash(w.Tenant, r.Channel, r.From)
			if err := a.Store.TouchInbound(ctx, tx, w.Tenant, r.Channel, hash, now); err != nil {
				return err
			}
			if !r.IsStop() {
				continue
			}
			added, err := a.Store.OptOut(ctx, tx, w.Tenant, r.Channel, hash, "reply:"+w.Provider, now)
			if err != nil {
				return err
			}
			if added {
				out.OptOuts++
			}
		}
		return nil
	})
	return out, wrap("ReceiveWebhook", err)
}

// applyReceipt keeps r and applies it to its message when that message
// has recorded the provider's id (else recordOutcome applies it then).
func (a *App) applyReceipt(ctx context.Context, tx pgx.Tx, tenant, provider string, r domain.Receipt) (bool, error) {
	now := a.timestamp()
	if err := a.Store.InsertReceipt(ctx, tx, tenant, provider, r, now); err != nil {
		return false, err
	}
	m, ok, err := a.Store.MessageByProviderID(ctx, tx, tenant, provider, r.ProviderMessageID)
	if err != nil || !ok || !r.Apply(&m, now) {
		return false, err
	}
	return true, a.Store.SetState(ctx, tx, m)
}

// Unsubscription is what an unsubscribe link is about.
type Unsubscription struct {
	Channel  domain.Channel
	Language domain.Language
	Done     bool
}

// UnsubscribeInput is a followed unsubscribe link.
type UnsubscribeInput struct {
	Tenant, MessageID, Signature string
	Confirm                      bool
}

// Validate refuses a malformed link, naming the field.
func (u *UnsubscribeInput) Validate() error {
	u.Signature = strings.TrimSpace(u.Signature)
	if err := domain.CheckID(u.MessageID, "message_id"); err != nil {
		return err
	}
	if u.Signature == "" || len(u.Signature) > 128 {
		return apperr.Invalid("signature", "is required, at most 128 characters")
	}
	return nil
}

// ForTenant is the municipality of the link.
func (u UnsubscribeInput) ForTenant() string { return u.Tenant }

// Unsubscribe checks a signed unsubscribe link the gateway forwarded (the
// gateway's identity may call it) and, when confirmed, opts the message's
// recipient out of its channel. A link this service did not sign changes
// nothing. A team's shared channel is the municipal admin's to change.
func (a *App) Unsubscribe(ctx context.Context, in UnsubscribeInput) (Unsubscription, error) {
	var out Unsubscription
	if _, err := internalCaller(ctx, access.Caller.RequireInternal, &in); err != nil {
		return out, err
	}
	if !a.Links.Verify(in.Tenant, in.MessageID, in.Signature) {
		return out, domain.ErrBadLink
	}
	err := a.inTx(ctx, jobCaller(in.Tenant).Scope(), func(tx pgx.Tx) error {
		m, err := a.Store.GetMessage(ctx, tx, in.MessageID, false)
		if err != nil {
			return err
		}
		out.Channel, out.Language = m.Channel, m.Language
		if m.Recipient == domain.RecipientTeam {
			return apperr.FailedPrecondition("a team's channel is changed by the municipal admin, not by a link")
		}
		addr, err := a.address(ctx, tx, m)
		if err != nil {
			return err
		}
		if !in.Confirm || addr == "" {
			return nil
		}
		_, err = a.Store.OptOut(ctx, tx, m.Tenant, m.Channel, a.Links.AddressHash(m.Tenant, m.Channel, addr), "link", a.timestamp())
		out.Done = err == nil
		return err
	})
	return out, wrap("Unsubscribe", err)
}

// address is the address message m went to: its reporter's or staff
// contact's on m's channel.
func (a *App) address(ctx context.Context, tx pgx.Tx, m domain.Message) (string, error) {
	if m.Recipient == domain.RecipientStaff {
		cs, err := a.Store.StaffContacts(ctx, tx, m.Tenant, []string{m.RecipientID})
		if err != nil || len(cs) == 0 {
			return "", err
		}
		return cs[0].Email, nil
	}
	r, err := a.Store.GetReporter(ctx, tx, m.TicketID, domain.Visibility{Tenant: m.Tenant, GBV: true}, false)
	if err != nil {
		return "", err
	}
	return r.Contact.Address(m.Channel), nil
}
