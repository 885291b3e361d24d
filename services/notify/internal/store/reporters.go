package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// reporterAAD binds a sealed contact to its tenant and ticket, so a
// ciphertext copied onto another row fails to open.
func reporterAAD(tenant, ticketID string) []byte {
	return []byte("notify:" + tenant + ":" + ticketID + ":reporter")
}

// reporterArgs are recordEventSQL's $20 to $31 for r, the reporter of a
// created event (nil: none, $31 false). A GBV reporter's contact is
// sealed and the plaintext columns stay empty.
func (s *Store) reporterArgs(r *domain.Reporter) ([]any, error) {
	if r == nil {
		return []any{false, "", "", "", "", nil, nil, nil, "", []string{}, "", false}, nil
	}
	c := r.Contact
	var sealed, nonce []byte
	var keyID *string
	if r.GBV {
		pt, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		sd, err := s.keys.Seal(pt, reporterAAD(r.Tenant, r.TicketID))
		if err != nil {
			return nil, err
		}
		c, sealed, nonce, keyID = domain.Contact{}, sd.Ciphertext, sd.Nonce, &sd.KeyID
	}
	return []any{r.GBV, r.Subject, c.Name, c.Phone, c.Email, sealed, keyID, nonce,
		string(r.Preferences.Language.Or()), words(r.Preferences.Channels), string(r.Preferences.GBVSafe), true}, nil
}

// GetReporter returns the reporter of ticket id with their contact (opened
// for GBV), as v lets the caller see it: ErrReporterNotFound when none
// was recorded or the caller may not see it.
func (s *Store) GetReporter(ctx context.Context, tx pgx.Tx, id string, v domain.Visibility, lock bool) (domain.Reporter, error) {
	var (
		r             domain.Reporter
		lang, safe    string
		chs           []string
		sealed, nonce []byte
		keyID         *string
	)
	q := `SELECT ticket_id::text, tenant, gbv, subject, name, phone, email, sealed, sealed_key_id, sealed_nonce, language, channels, gbv_safe
		FROM notify.reporters WHERE ticket_id = $1 AND ($2 OR tenant = $3) AND ($4 OR NOT gbv)`
	if lock {
		q += ` FOR UPDATE`
	}
	err := tx.QueryRow(ctx, q, id, v.AllTenants, v.Tenant, v.GBV).Scan(&r.TicketID, &r.Tenant, &r.GBV, &r.Subject,
		&r.Contact.Name, &r.Contact.Phone, &r.Contact.Email, &sealed, &keyID, &nonce, &lang, &chs, &safe)
	if pg.IsNoRows(err) {
		return r, domain.ErrReporterNotFound
	}
	if err != nil {
		return r, fmt.Errorf("store.GetReporter: %w", err)
	}
	if err := s.openReporter(&r, lang, safe, chs, sealed, nonce, keyID); err != nil {
		return r, fmt.Errorf("store.GetReporter %s: %w", id, err)
	}
	return r, nil
}

// openReporter completes r, read from notify.reporters, with its
// preferences and, when sealed, its opened contact.
func (s *Store) openReporter(r *domain.Reporter, lang, safe string, chs []string, sealed, nonce []byte, keyID *string) error {
	r.Preferences = domain.Preferences{Language: domain.Language(lang), Channels: channels(chs), GBVSafe: domain.Channel(safe)}
	if sealed != nil && keyID != nil {
		pt, err := s.keys.Open(seal.Sealed{KeyID: *keyID, Nonce: nonce, Ciphertext: sealed}, reporterAAD(r.Tenant, r.TicketID))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(pt, &r.Contact); err != nil {
			return err
		}
	}
	return nil
}

// SetPreferences replaces the preferences of ticket id's reporter.
func (s *Store) SetPreferences(ctx context.Context, tx pgx.Tx, id string, p domain.Preferences, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE notify.reporters SET language = $2, channels = $3, gbv_safe = $4, update_time = $5 WHERE ticket_id = $1`,
		id, string(p.Language.Or()), words(p.Channels), string(p.GBVSafe), now)
	if err != nil {
		return fmt.Errorf("store.SetPreferences: %w", err)
	}
	return nil
}
