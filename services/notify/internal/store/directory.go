package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/notify/internal/domain"
)

// PutStaffContact creates or replaces c in tenant.
func (s *Store) PutStaffContact(ctx context.Context, tx pgx.Tx, tenant string, c domain.StaffContact) error {
	_, err := tx.Exec(ctx, `INSERT INTO notify.staff_contacts (tenant, user_id, email, language, update_time) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant, user_id) DO UPDATE SET email = excluded.email, language = excluded.language, update_time = excluded.update_time`,
		tenant, c.UserID, c.Email, string(c.Language.Or()), c.Update)
	if err != nil {
		return fmt.Errorf("store.PutStaffContact: %w", err)
	}
	return nil
}

// DeleteStaffContact removes user's contact in tenant.
func (s *Store) DeleteStaffContact(ctx context.Context, tx pgx.Tx, tenant, user string) error {
	tag, err := tx.Exec(ctx, `DELETE FROM notify.staff_contacts WHERE tenant = $1 AND user_id = $2`, tenant, user)
	if err != nil {
		return fmt.Errorf("store.DeleteStaffContact: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return domain.ErrStaffNotFound
	}
	return nil
}

// StaffContacts returns tenant's contacts, of users when users is not nil.
func (s *Store) StaffContacts(ctx context.Context, tx pgx.Tx, tenant string, users []string) ([]domain.StaffContact, error) {
	rows, err := tx.Query(ctx, staffContactsSQL, tenant, users)
	cs, err := collectStaffContacts(rows, err)
	if err != nil {
		return nil, fmt.Errorf("store.StaffContacts: %w", err)
	}
	return cs, nil
}

// staffContactsSQL reads tenant $1's staff contacts, of users $2 (NULL:
// all).
const staffContactsSQL = `SELECT user_id, email, language, update_time FROM notify.staff_contacts
		WHERE tenant = $1 AND ($2::text[] IS NULL OR user_id = ANY($2)) ORDER BY user_id`

// collectStaffContacts collects the rows of staffContactsSQL.
func collectStaffContacts(rows pgx.Rows, err error) ([]domain.StaffContact, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.StaffContact, error) {
		var (
			c    domain.StaffContact
			lang string
		)
		err := r.Scan(&c.UserID, &c.Email, &lang, &c.Update)
		c.Language, c.Update = domain.Language(lang), c.Update.UTC()
		return c, err
	})
}

// PutTeamChannel creates or replaces ch in tenant; an empty secret keeps
// the stored one.
func (s *Store) PutTeamChannel(ctx context.Context, tx pgx.Tx, tenant string, ch domain.TeamChannel) error {
	if ch.Emails == nil {
		ch.Emails = []string{} // a NULL array is no list at all
	}
	_, err := tx.Exec(ctx, `INSERT INTO notify.team_channels (tenant, team_id, emails, webhook_url, webhook_secret, business_hours_only,
			language, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (tenant, team_id) DO UPDATE SET emails = excluded.emails, webhook_url = excluded.webhook_url,
		  webhook_secret = CASE WHEN excluded.webhook_secret = '' THEN notify.team_channels.webhook_secret ELSE excluded.webhook_secret END,
		  business_hours_only = excluded.business_hours_only, language = excluded.language, update_time = excluded.update_time`,
		tenant, ch.TeamID, ch.Emails, ch.WebhookURL, ch.WebhookSecret, ch.BusinessHoursOnly, string(ch.Language.Or()), ch.Update)
	if err != nil {
		return fmt.Errorf("store.PutTeamChannel: %w", err)
	}
	return nil
}

// DeleteTeamChannel removes team's channel in tenant.
func (s *Store) DeleteTeamChannel(ctx context.Context, tx pgx.Tx, tenant, team string) error {
	tag, err := tx.Exec(ctx, `DELETE FROM notify.team_channels WHERE tenant = $1 AND team_id = $2`, tenant, team)
	if err != nil {
		return fmt.Errorf("store.DeleteTeamChannel: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return domain.ErrChannelNotFound
	}
	return nil
}

// TeamChannels returns tenant's channels (with secrets: callers that
// answer people drop them), of teams when teams is not nil.
func (s *Store) TeamChannels(ctx context.Context, tx pgx.Tx, tenant string, teams []string) ([]domain.TeamChannel, error) {
	rows, err := tx.Query(ctx, teamChannelsSQL, tenant, teams)
	cs, err := collectTeamChannels(rows, err)
	if err != nil {
		return nil, fmt.Errorf("store.TeamChannels: %w", err)
	}
	return cs, nil
}

// teamChannelsSQL reads tenant $1's team channels, of teams $2 (NULL:
// all).
const teamChannelsSQL = `SELECT team_id::text, emails, webhook_url, webhook_secret, business_hours_only, language, update_time
		FROM notify.team_channels WHERE tenant = $1 AND ($2::text[] IS NULL OR team_id::text = ANY($2)) ORDER BY team_id`

// collectTeamChannels collects the rows of teamChannelsSQL.
func collectTeamChannels(rows pgx.Rows, err error) ([]domain.TeamChannel, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.TeamChannel, error) {
		var (
			c    domain.TeamChannel
			lang string
		)
		err := r.Scan(&c.TeamID, &c.Emails, &c.WebhookURL, &c.WebhookSecret, &c.BusinessHoursOnly, &lang, &c.Update)
		c.Language, c.Update = domain.Language(lang), c.Update.UTC()
		return c, err
	})
}

// Directory reads, in one round trip, the channels of teams and the
// contacts of users of tenant (TeamChannels and StaffContacts; none for
// none asked, where those read all).
func (s *Store) Directory(ctx context.Context, tx pgx.Tx, tenant string, teams, users []string) ([]domain.TeamChannel, []domain.StaffContact, error) {
	var (
		chs []domain.TeamChannel
		cs  []domain.StaffContact
	)
	b := &pgx.Batch{}
	b.Queue(teamChannelsSQL, tenant, append([]string{}, teams...)).Query(func(rows pgx.Rows) error {
		var err error
		chs, err = collectTeamChannels(rows, nil)
		return err
	})
	b.Queue(staffContactsSQL, tenant, append([]string{}, users...)).Query(func(rows pgx.Rows) error {
		var err error
		cs, err = collectStaffContacts(rows, nil)
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("store.Directory: %w", err)
	}
	return chs, cs, nil
}

// GetSettings returns tenant's settings, the defaults when never set.
func (s *Store) GetSettings(ctx context.Context, tx pgx.Tx, tenant string) (domain.Settings, error) {
	rows, err := tx.Query(ctx, settingsSQL, tenant)
	st, err := collectSettings(rows, err, tenant)
	if err != nil {
		return st, fmt.Errorf("store.GetSettings: %w", err)
	}
	return st, nil
}

// collectSettings is tenant's settings from the rows of settingsSQL, the
// defaults when there are none.
func collectSettings(rows pgx.Rows, err error, tenant string) (domain.Settings, error) {
	st := domain.Settings{Tenant: tenant}
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&st.ReporterAtNight, &at); err != nil {
			return st, err
		}
		at = at.UTC()
		st.Update = &at
	}
	return st, rows.Err()
}

// settingsSQL reads tenant $1's settings.
const settingsSQL = `SELECT reporter_at_night, update_time FROM notify.settings WHERE tenant = $1`

// PutSettings replaces tenant's settings.
func (s *Store) PutSettings(ctx context.Context, tx pgx.Tx, st domain.Settings, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO notify.settings (tenant, reporter_at_night, update_time) VALUES ($1, $2, $3)
		ON CONFLICT (tenant) DO UPDATE SET reporter_at_night = excluded.reporter_at_night, update_time = excluded.update_time`,
		st.Tenant, st.ReporterAtNight, now)
	if err != nil {
		return fmt.Errorf("store.PutSettings: %w", err)
	}
	return nil
}
