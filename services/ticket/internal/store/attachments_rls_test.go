package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/services/ticket/internal/domain"
	"github.com/salga/trustengine/services/ticket/internal/store"
)

// attachmentOf is a stored attachment of ticket tk (its objects need not
// exist for these tests).
func attachmentOf(tk domain.Ticket, n int) domain.Attachment {
	key := func(c string) string { return tk.Tenant + "/" + strings.Repeat(c, 64) }
	return domain.Attachment{ID: uuid.NewString(), TicketID: tk.ID, Tenant: tk.Tenant, GBV: tk.IsGBV(), FileName: "photo.jpg",
		SHA256: strings.Repeat("ab", 32), CreatedBy: "x", CreateTime: time.Now().UTC().Truncate(time.Microsecond),
		Image: domain.Blob{Key: key(string(rune('a' + n))), ContentType: "image/jpeg", Size: 10, Width: 4, Height: 3},
		Thumb: domain.Blob{Key: key(string(rune('c' + n))), ContentType: "image/jpeg", Size: 5, Width: 4, Height: 3}}
}

// TestAttachmentRowsKeepToTheirTenantAndGBVWalls runs the attachment
// statements as a handler that forgot its filters would (every
// attachment, updates and deletes by id alone) for a job of CPT against
// JHB's rows, and as a JHB agent against JHB's GBV photos: row-level
// security finds and changes nothing of theirs.
func TestAttachmentRowsKeepToTheirTenantAndGBVWalls(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "ticket_store", func(ctx context.Context, p *pgxpool.Pool) error { return store.Prepare(ctx, p, keys(t)) })
	st := store.New(keys(t))
	seed(t, pool, st, "CPT")
	jhb := seed(t, pool, st, "JHB")
	run := func(c access.Caller, fn func(tx pgx.Tx) error) error {
		return pg.InTx(t.Context(), pool, c.Scope(), fn)
	}
	var atts []domain.Attachment
	require.NoError(t, run(serviceJob("JHB"), func(tx pgx.Tx) error {
		for i, tk := range jhb {
			a := attachmentOf(tk, i)
			if err := st.InsertAttachment(t.Context(), tx, tk, a); err != nil {
				return err
			}
			atts = append(atts, a)
		}
		return st.SetRetention(t.Context(), tx, domain.Retention{Tenant: "JHB", Days: 30, UpdatedBy: "x", UpdateTime: &atts[0].CreateTime})
	}))
	all := domain.AttachmentsOf{All: true}
	state := func() string {
		var s string
		require.NoError(t, pool.QueryRow(t.Context(), `SELECT (SELECT string_agg(id::text || public::text, ',' ORDER BY id) FROM ticket.attachments)
			|| (SELECT count(*) FROM ticket.object_sweep)::text || (SELECT count(*) FROM ticket.object_uploads)::text
			|| (SELECT string_agg(tenant || retention_days, ',') FROM ticket.attachment_retention)`).Scan(&s))
		return s
	}
	before := state()

	t.Run("a CPT job reads none of JHB's attachments", func(t *testing.T) {
		for i, tk := range jhb {
			require.NoError(t, run(serviceJob("CPT"), func(tx pgx.Tx) error {
				got, err := st.ListAttachments(t.Context(), tx, tk, all)
				require.Empty(t, got)
				return err
			}))
			err := run(serviceJob("CPT"), func(tx pgx.Tx) error {
				_, _, err := st.GetAttachment(t.Context(), tx, tk, atts[i].ID, all, store.ForUpdate)
				return err
			})
			require.ErrorIs(t, err, domain.ErrAttachmentNotFound)
		}
		require.NoError(t, run(serviceJob("CPT"), func(tx pgx.Tx) error {
			r, err := st.GetRetention(t.Context(), tx, "JHB")
			require.Zero(t, r.Days, "JHB's retention is not CPT's to read")
			return err
		}))
	})
	t.Run("a CPT job changes none of JHB's rows", func(t *testing.T) {
		require.NoError(t, run(serviceJob("CPT"), func(tx pgx.Tx) error {
			for _, a := range atts {
				if err := st.SetAttachmentPublic(t.Context(), tx, a.ID, true); err != nil {
					return err
				}
				if err := st.DeleteAttachment(t.Context(), tx, a.ID); err != nil {
					return err
				}
			}
			return nil
		}))
		for _, write := range []func(tx pgx.Tx) error{
			func(tx pgx.Tx) error { return st.InsertAttachment(t.Context(), tx, jhb[1], attachmentOf(jhb[1], 5)) },
			func(tx pgx.Tx) error {
				return st.StartUpload(t.Context(), tx, uuid.NewString(), "JHB", []string{"JHB/" + strings.Repeat("e", 64)}, time.Now())
			},
			func(tx pgx.Tx) error {
				return st.MarkObjects(t.Context(), tx, "JHB", []string{"JHB/" + strings.Repeat("e", 64)}, time.Now())
			},
			func(tx pgx.Tx) error {
				return st.SetRetention(t.Context(), tx, domain.Retention{Tenant: "JHB", Days: 1, UpdatedBy: "x", UpdateTime: &atts[0].CreateTime})
			},
		} {
			require.Error(t, run(serviceJob("CPT"), write), "row-level security refuses a row of another tenant")
		}
		require.Equal(t, before, state())
	})
	t.Run("a JHB agent does not see JHB's GBV photos even without the GBV filter", func(t *testing.T) {
		agent := access.FromClaims(auth.Claims{Subject: "agent", Tenant: "JHB", Roles: []string{auth.RoleAgent}})
		require.NoError(t, run(agent, func(tx pgx.Tx) error {
			got, err := st.ListAttachments(t.Context(), tx, jhb[0], all)
			require.Empty(t, got)
			return err
		}))
		require.NoError(t, run(agent, func(tx pgx.Tx) error {
			got, err := st.ListAttachments(t.Context(), tx, jhb[1], all)
			require.Len(t, got, 1, "the control: its water ticket's photo")
			return err
		}))
	})
	t.Run("the database refuses a GBV photo with plaintext text, or public", func(t *testing.T) {
		for _, sql := range []string{
			`UPDATE ticket.attachments SET file_name = 'bruises.jpg' WHERE gbv`,
			`UPDATE ticket.attachments SET sha256 = 'ab' WHERE gbv`,
			`UPDATE ticket.attachments SET public = true WHERE gbv`,
			`UPDATE ticket.attachments SET gbv = false, sealed = NULL WHERE gbv`,
			`UPDATE ticket.attachments SET object_key = 'CPT/' || repeat('f', 64) WHERE tenant = 'JHB'`,
		} {
			_, err := pool.Exec(t.Context(), sql)
			require.Error(t, err, sql)
		}
		require.Equal(t, before, state())
	})
}
