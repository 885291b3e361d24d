package server_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/salga/trustengine/libs/pgtest"
	"github.com/salga/trustengine/libs/queue"
	"github.com/salga/trustengine/services/ticket/internal/outbox"
)

// TestUpgradeTellsSLATheTeamAndWardOfEveryRoutedTicket builds a database
// as releases before migration 00020 left it, when an assignment reached
// SLA only with the status changes after it, and checks the upgrade queues
// one assigned SLA event per ticket with a team or a ward, as the outbox
// would: its current team under its current history sequence, its ward.
func TestUpgradeTellsSLATheTeamAndWardOfEveryRoutedTicket(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t, "ticket_v18", func(ctx context.Context, pool *pgxpool.Pool) error {
		if err := migrateTo(ctx, pool, 18); err != nil {
			return err
		}
		return queue.Migrate(ctx, pool, outbox.Schema)
	})
	ctx := t.Context()
	assigned := time.Date(2026, 8, 3, 6, 1, 2, 345678000, time.UTC)
	insert := func(tenant, category, team, ward string, seq int, assign *time.Time) string {
		id := uuid.NewString()
		_, err := pool.Exec(ctx, `INSERT INTO ticket.tickets (id, tenant, reference, category, status, description, location,
				reporter_subject, channel, create_time, update_time, history_seq, assigned_team_id, ward_code, assign_time)
			VALUES ($1, $2, $2 || '-2026-' || lpad($8::text, 6, '0'), $4, 'open', 'Leak', ST_SetSRID(ST_MakePoint(18.42, -33.92), 4326),
				'c1', 'web', now(), now(), $3, $5, $6, $7)`, id, tenant, seq, category, team, ward, assign, id[:6])
		require.NoError(t, err)
		return id
	}
	team, jhb := uuid.NewString(), uuid.NewString()
	routed := insert("CPT", "water", team, "19100054", 2, &assigned)
	escalated := insert("CPT", "roads", team, "19100001", 7, &assigned)
	other := insert("JHB", "electricity", jhb, "79800001", 3, &assigned)
	gap := insert("CPT", "water", "", "19100077", 2, &assigned) // in a coverage gap: in triage, with a ward
	insert("CPT", "water", "", "", 1, nil)                      // not routed yet: routing's assignment will tell SLA

	require.NoError(t, migrateTo(ctx, pool, 20))
	rows, err := pool.Query(ctx, `SELECT args FROM ticket.river_job WHERE kind = 'ticket.sla_event' AND queue = 'sla'
		AND state = 'available' ORDER BY args->>'sequence'`)
	require.NoError(t, err)
	raw, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	require.NoError(t, err)
	got := map[string]outbox.SLAEventArgs{}
	for _, r := range raw {
		var a outbox.SLAEventArgs
		require.NoError(t, json.Unmarshal(r, &a), string(r))
		require.NoError(t, uuid.Validate(a.EventID))
		require.Equal(t, outbox.EventAssigned, a.Event)
		require.True(t, a.OccurTime.Equal(assigned), "%s: the assignment's time, read as the outbox writes it", a.OccurTime)
		a.EventID, a.OccurTime = "", time.Time{}
		got[a.TicketID] = a
	}
	require.Equal(t, map[string]outbox.SLAEventArgs{
		routed:    {Tenant: "CPT", TicketID: routed, Category: "water", Event: "assigned", Sequence: 2, TeamID: team, WardCode: "19100054"},
		escalated: {Tenant: "CPT", TicketID: escalated, Category: "roads", Event: "assigned", Sequence: 7, TeamID: team, WardCode: "19100001"},
		gap:       {Tenant: "CPT", TicketID: gap, Category: "water", Event: "assigned", Sequence: 2, WardCode: "19100077"},
		other:     {Tenant: "JHB", TicketID: other, Category: "electricity", Event: "assigned", Sequence: 3, TeamID: jhb, WardCode: "79800001"},
	}, got, "one event per routed ticket, in every municipality (in triage: no team); none for a ticket not routed yet")
}
