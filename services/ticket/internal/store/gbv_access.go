package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/salga/trustengine/services/ticket/internal/domain"
)

// GBVAccess is an answer another service gave that carried sealed content
// of GBV tickets: who got it, from which RPC, when. It holds no content.
type GBVAccess struct {
	Tenant    string
	TicketIDs []string
	Subject   string
	Roles     []string
	// Action is "<service>.<RPC>", e.g. "routing.ListAssignments".
	Action string
	// EventID is the answering service's id of the answer.
	EventID string
	Time    time.Time
}

// RecordGBVAccess writes one access-log entry per ticket of e unless its
// event is logged already, and reports whether it wrote. The unique index
// on (event_id, ticket_id) makes a redelivery, even a concurrent one, a
// no-op; entries are all-or-nothing per event since one statement writes
// them.
func (s *Store) RecordGBVAccess(ctx context.Context, v domain.Viewer, e GBVAccess) (bool, error) {
	var n int64
	err := s.inTx(ctx, v, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO ticket.gbv_access_log (tenant, ticket_id, subject, roles, action, create_time, event_id)
			SELECT $1, id::uuid, $3, $4, $5, $6, $7 FROM unnest($2::text[]) AS u(id)
			ON CONFLICT (event_id, ticket_id) WHERE event_id IS NOT NULL DO NOTHING`,
			e.Tenant, e.TicketIDs, e.Subject, e.Roles, e.Action, e.Time, e.EventID)
		if err != nil {
			return fmt.Errorf("insert gbv_access_log: %w", err)
		}
		n = tag.RowsAffected()
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store.RecordGBVAccess: %w", err)
	}
	return n > 0, nil
}
