package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

const templateColumns = `id::text, tenant, audience, category, kind, language, subject, body, updated_by, create_time, update_time`

func scanTemplate(r pgx.Row) (domain.Template, error) {
	var (
		t                        domain.Template
		audience, kind, language string
	)
	err := r.Scan(&t.ID, &t.Tenant, &audience, &t.Category, &kind, &language, &t.Subject, &t.Body, &t.UpdatedBy, &t.Create, &t.Update)
	t.Audience, t.Kind, t.Language, t.Create, t.Update = domain.Audience(audience), domain.Kind(kind), domain.Language(language),
		t.Create.UTC(), t.Update.UTC()
	return t, err
}

// InsertTemplate stores t: ErrTemplateTaken when its key is taken.
func (s *Store) InsertTemplate(ctx context.Context, tx pgx.Tx, t domain.Template) error {
	_, err := tx.Exec(ctx, `INSERT INTO notify.templates (id, tenant, audience, category, kind, language, subject, body, updated_by,
			create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		t.ID, t.Tenant, string(t.Audience), t.Category, string(t.Kind), string(t.Language), t.Subject, t.Body, t.UpdatedBy, t.Create)
	if pg.IsUniqueViolation(err) && pg.ConstraintName(err) == "templates_key" {
		return domain.ErrTemplateTaken
	}
	if err != nil {
		return fmt.Errorf("store.InsertTemplate: %w", err)
	}
	return nil
}

// UpdateTemplate replaces the subject and body of t (by id and tenant).
func (s *Store) UpdateTemplate(ctx context.Context, tx pgx.Tx, t domain.Template) error {
	tag, err := tx.Exec(ctx, `UPDATE notify.templates SET subject = $3, body = $4, updated_by = $5, update_time = $6
		WHERE id = $1 AND tenant = $2`, t.ID, t.Tenant, t.Subject, t.Body, t.UpdatedBy, t.Update)
	if err != nil {
		return fmt.Errorf("store.UpdateTemplate: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return domain.ErrTemplateNotFound
	}
	return nil
}

// DeleteTemplate removes template id of tenant.
func (s *Store) DeleteTemplate(ctx context.Context, tx pgx.Tx, tenant, id string) error {
	tag, err := tx.Exec(ctx, `DELETE FROM notify.templates WHERE id = $1 AND tenant = $2`, id, tenant)
	if err != nil {
		return fmt.Errorf("store.DeleteTemplate: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return domain.ErrTemplateNotFound
	}
	return nil
}

// GetTemplate returns template id of tenant.
func (s *Store) GetTemplate(ctx context.Context, tx pgx.Tx, tenant, id string) (domain.Template, error) {
	t, err := scanTemplate(tx.QueryRow(ctx, `SELECT `+templateColumns+` FROM notify.templates WHERE id = $1 AND tenant = $2`, id, tenant))
	if pg.IsNoRows(err) {
		return t, domain.ErrTemplateNotFound
	}
	if err != nil {
		return t, fmt.Errorf("store.GetTemplate: %w", err)
	}
	return t, nil
}

// ListTemplates returns tenant's templates.
func (s *Store) ListTemplates(ctx context.Context, tx pgx.Tx, tenant string) ([]domain.Template, error) {
	rows, err := tx.Query(ctx, `SELECT `+templateColumns+` FROM notify.templates WHERE tenant = $1
		ORDER BY audience, kind, language, category`, tenant)
	if err != nil {
		return nil, fmt.Errorf("store.ListTemplates: %w", err)
	}
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Template, error) { return scanTemplate(r) })
	if err != nil {
		return nil, fmt.Errorf("store.ListTemplates: %w", err)
	}
	return ts, nil
}

// FindTemplate returns tenant's template for k: the category's own, else
// the one for every category; ok is false when the tenant has neither.
func (s *Store) FindTemplate(ctx context.Context, tx pgx.Tx, tenant string, k domain.TemplateKey) (domain.Template, bool, error) {
	t, err := scanTemplate(tx.QueryRow(ctx, `SELECT `+templateColumns+` FROM notify.templates
		WHERE tenant = $1 AND audience = $2 AND kind = $3 AND language = $4 AND category IN ($5, '')
		ORDER BY category DESC LIMIT 1`, tenant, string(k.Audience), string(k.Kind), string(k.Language), k.Category))
	if pg.IsNoRows(err) {
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("store.FindTemplate: %w", err)
	}
	return t, true, nil
}
