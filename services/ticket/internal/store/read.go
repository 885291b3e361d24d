package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// where accumulates SQL conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

// arg adds a value and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// visibility adds the viewer's read rules to w: the same rules as row-level
// security (tenant, GBV) plus the citizen's own-tickets rule, so the query
// layer does not lean on RLS alone.
func visibility(w *where, v domain.Viewer) {
	if !v.AllTenants() {
		w.add("t.tenant = " + w.arg(v.Tenant))
	}
	if !v.ReadsGBV() {
		w.add("t.category <> 'gbv'")
	}
	if v.OwnOnly() {
		w.add("t.reporter_subject = " + w.arg(v.Subject))
	}
}

// Get returns ticket id if the viewer may see it, logging the read when it is
// a GBV ticket. action names the RPC for the access log.
func (s *Store) Get(ctx context.Context, v domain.Viewer, id, action string) (domain.Ticket, error) {
	var t domain.Ticket
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		var err error
		t, err = s.getTx(ctx, tx, v, id, "")
		if err != nil {
			return err
		}
		return logGBVReads(ctx, tx, v, action, []domain.Ticket{t})
	})
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("store.Get: %w", err)
	}
	return t, nil
}

// getTx reads a visible ticket inside tx, with lock "" or "FOR UPDATE".
func (s *Store) getTx(ctx context.Context, tx pgx.Tx, v domain.Viewer, id, lock string) (domain.Ticket, error) {
	w := &where{}
	w.add("t.id = " + w.arg(id))
	visibility(w, v)
	t, err := s.scanTicket(tx.QueryRow(ctx, `SELECT `+ticketColumns+` FROM ticket.tickets t WHERE `+w.sql()+` `+lock, w.args...))
	if pg.IsNoRows(err) {
		return domain.Ticket{}, notFound()
	}
	if err != nil {
		return domain.Ticket{}, fmt.Errorf("select ticket: %w", err)
	}
	return t, nil
}
