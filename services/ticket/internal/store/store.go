// Package store is the Postgres edge of the ticket service: the SQL of
// schema "ticket", run inside the transactions package app opens (pg.InTx
// under the caller's scope, so row-level security is the second wall behind
// every query's own filters), with GBV content sealed and opened here.
//
// Errors are interpreted at this edge, one way: a Postgres outcome that
// means something to the service (no row, a taken key) leaves as one of the
// domain's errors (domain/errors.go); anything else leaves wrapped with the
// statement that failed. Nothing above the store sees pgx.ErrNoRows or a
// SQLSTATE.
package store

import (
	"strconv"
	"strings"

	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// Store reads and writes the ticket schema, sealing GBV content with its
// key ring.
type Store struct {
	keys *seal.Keyring
}

// New returns a Store that seals GBV content with keys.
func New(keys *seal.Keyring) *Store { return &Store{keys: keys} }

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

// visible adds a caller's read rules to w: the same rules as row-level
// security (tenant, GBV) plus the citizen's own-tickets rule, so the query
// layer does not lean on row-level security alone.
func visible(w *where, v domain.Visibility) {
	if !v.AllTenants {
		w.add("t.tenant = " + w.arg(v.Tenant))
	}
	if !v.GBV {
		w.add("t.category <> 'gbv'")
	}
	if v.Reporter != "" {
		w.add("t.reporter_subject = " + w.arg(v.Reporter))
	}
}
