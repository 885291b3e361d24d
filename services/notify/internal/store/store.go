// Package store is the Postgres edge of the notify service: the SQL of
// schema "notify", run inside the transactions package app opens (pg.InTx
// under the caller's scope, so row-level security is the second wall
// behind every query's own tenant filter), with a GBV reporter's contact
// sealed and opened here.
//
// Errors are interpreted at this edge, one way: a Postgres outcome that
// means something (no row, a taken key) leaves as one of the domain's
// errors; anything else leaves wrapped with the statement that failed.
package store

import (
	"time"

	"github.com/salga/trustengine/libs/seal"
	"github.com/salga/trustengine/services/notify/internal/domain"
)

// Store reads and writes schema notify, sealing GBV reporters' contacts
// with its key ring.
type Store struct {
	keys *seal.Keyring
}

// New returns a Store that seals with keys.
func New(keys *seal.Keyring) *Store { return &Store{keys: keys} }

// channels converts stored channel words.
func channels(ws []string) []domain.Channel {
	out := make([]domain.Channel, 0, len(ws))
	for _, w := range ws {
		out = append(out, domain.Channel(w))
	}
	return out
}

// words converts channels to stored words.
func words(cs []domain.Channel) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, string(c))
	}
	return out
}

// utc is *t in UTC, nil for nil.
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
