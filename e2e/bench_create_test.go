package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	commonv1 "github.com/salga/trustengine/gen/go/salga/common/v1"
	ticketv1 "github.com/salga/trustengine/gen/go/salga/ticket/v1"
)

// createPoint spreads creates over the two water teams of the test city.
func createPoint(i int) *commonv1.LatLng {
	if i%2 == 0 {
		return westPoint
	}
	return eastPoint
}

// grpcCreates returns an op creating one water ticket over gRPC.
func grpcCreates(tc ticketv1.TicketServiceClient) func(int) error {
	return func(i int) error {
		_, err := tc.CreateTicket(context.Background(), &ticketv1.CreateTicketRequest{
			Category: commonv1.Category_CATEGORY_WATER, Description: "Burst pipe on Main Road", Location: createPoint(i),
		})
		return err
	}
}

// gatewayCreates returns an op creating the same ticket as JSON through the
// gateway, on a client that keeps enough idle connections for the load.
func (s *suite) gatewayCreates(token string, clients int) func(int) error {
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	return func(i int) error {
		p := createPoint(i)
		body := fmt.Sprintf(`{"category":"CATEGORY_WATER","description":"Burst pipe on Main Road","location":{"latitude":%v,"longitude":%v}}`,
			p.GetLatitude(), p.GetLongitude())
		req, err := http.NewRequest("POST", s.gatewayURL+"/v1/tickets", strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("POST /v1/tickets: HTTP %d", resp.StatusCode)
		}
		var out map[string]any
		return json.NewDecoder(resp.Body).Decode(&out)
	}
}

// baselineQueue is a River queue no worker serves, so the baseline's job
// rows stay put instead of being delivered.
const baselineQueue = "bench_baseline"

// baselineCreates returns an op that performs, in one transaction straight
// through pgx, the statements the ticket service's store runs for a create,
// in as many round trips: the municipality's duplicate settings, the
// ticket (its reference from the tenant's sequence), its history row and
// the likely-duplicate look-up (ticket.nearby_tickets within the staff
// radius, as the service's answer carries) in one batch, then the three
// River job rows (River's own multi-row insert). It skips what the service
// adds around them: authentication, validation, the role and settings of
// pg.InTx beyond the tenant, and River's client bookkeeping.
func baselineCreates(pool *pgxpool.Pool, tenant string) func(int) error {
	return func(i int) error {
		ctx := context.Background()
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			now := time.Now().UTC().Truncate(time.Microsecond)
			id, p := uuid.NewString(), createPoint(i)
			b := &pgx.Batch{}
			b.Queue(`SELECT set_config('app.tenant', $1, true)`, tenant)
			b.Queue(`WITH r AS (SELECT ticket.next_reference($2, $18::int) AS reference),
				t AS (INSERT INTO ticket.tickets (id, tenant, reference, category, status, description,
					location, address, reporter_name, reporter_phone, reporter_email, reporter_subject, channel,
					sealed, sealed_key_id, sealed_nonce, create_time, update_time, history_seq)
				SELECT $1, $2, r.reference, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326), $8, $9, $10, $11, $12, $13,
					$14, $15, $16, $17, $17, 1 FROM r)
				SELECT reference FROM r`,
				id, tenant, "water", "open", "Burst pipe on Main Road", p.GetLongitude(), p.GetLatitude(),
				"", "", "", "", "bench-agent", "web", nil, nil, nil, now, now.Year())
			b.Queue(`INSERT INTO ticket.history (ticket_id, sequence, tenant, gbv, kind, actor,
					from_status, to_status, reason, detail, event_id, create_time)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				id, 1, tenant, false, "created", "bench-agent", "", "open", "", "web", uuid.NewString(), now)
			b.Queue(`SELECT radii, keywords FROM ticket.duplicate_settings WHERE tenant = $1`, tenant)
			b.Queue(`WITH r AS (
					SELECT CASE WHEN $8::float8 > 0 THEN $8::float8 ELSE coalesce((
						SELECT (x->>$9::text)::float8 FROM ticket.duplicate_settings s, jsonb_array_elements(s.radii) x
						WHERE s.tenant = $1 AND x->>'category' = $2), $10::float8) END AS meters)
				SELECT r.meters, n.id::text, n.reference, n.status, n.lat, n.lng, n.linked_count, n.create_time, n.distance
				FROM r LEFT JOIN LATERAL ticket.nearby_tickets($1, $2, $3, $4, r.meters, $5, $6::uuid, $7) n ON r.meters > 0
				ORDER BY n.distance, n.id`,
				tenant, "water", p.GetLongitude(), p.GetLatitude(), now.Add(-30*24*time.Hour), id, 5, 0.0, "staff", 1000.0)
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return fmt.Errorf("insert ticket and history, look up duplicates: %w", err)
			}
			route, _ := json.Marshal(map[string]any{"tenant": tenant, "ticket_id": id, "category": "water", "lat": p.GetLatitude(), "lng": p.GetLongitude()})
			event, _ := json.Marshal(map[string]any{"event_id": uuid.NewString(), "tenant": tenant, "ticket_id": id,
				"category": "water", "event": "created", "to": "open", "occur_time": now, "sequence": 1})
			notice, _ := json.Marshal(map[string]any{"event": "created", "event_id": uuid.NewString(), "tenant": tenant, "ticket_id": id,
				"reference": tenant + "-0000-000000", "category": "water", "to": "open", "occur_time": now, "sequence": 1})
			return insertBaselineJobs(ctx, tx, now, route, event, notice)
		})
	}
}

// insertBaselineJobs is River v0.51's JobInsertFastMany for the create's
// three jobs.
func insertBaselineJobs(ctx context.Context, tx pgx.Tx, now time.Time, route, event, notice []byte) error {
	return insertBaselineJobsIn(ctx, tx, "ticket", now, []string{"ticket.route_ticket", "ticket.sla_event", "ticket.notify_event"},
		[]string{string(route), string(event), string(notice)})
}

// insertBaselineJobsIn is River v0.51's JobInsertFastMany into schema's
// job table, for jobs of the given kinds and JSON args in baselineQueue.
func insertBaselineJobsIn(ctx context.Context, tx pgx.Tx, schema string, now time.Time, kinds, args []string) error {
	sql, params := baselineJobs(schema, now, kinds, args)
	if _, err := tx.Exec(ctx, sql, params...); err != nil {
		return fmt.Errorf("insert %s.river_job: %w", schema, err)
	}
	return nil
}

// baselineJobs is insertBaselineJobsIn's statement and arguments, for a
// batch.
func baselineJobs(schema string, now time.Time, kinds, args []string) (string, []any) {
	queues := make([]string, len(kinds))
	keys := make([][]byte, len(kinds))
	states := make([]int32, len(kinds))
	for i := range queues {
		queues[i] = baselineQueue
	}
	return strings.ReplaceAll(`WITH raw_job_data AS (
			SELECT unnest($1::jsonb[]) AS args, unnest($2::text[]) AS kind, unnest($3::text[]) AS queue,
				unnest($4::bytea[]) AS unique_key, unnest($5::integer[]) AS unique_states)
		INSERT INTO SCHEMA.river_job (id, args, created_at, kind, max_attempts, metadata, priority, queue,
			scheduled_at, state, tags, unique_key, unique_states)
		SELECT nextval('SCHEMA.river_job_id_seq'::regclass), args, $6, kind, 25, '{}'::jsonb, 1, queue, $6,
			'available'::SCHEMA.river_job_state, '{}'::varchar(255)[], nullif(unique_key, '')::bytea,
			nullif(unique_states::integer, 0)::bit(8)
		FROM raw_job_data
		ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND unique_states IS NOT NULL
			AND SCHEMA.river_job_state_in_bitmask(unique_states, state)
		DO UPDATE SET kind = river_job.kind
		RETURNING id`, "SCHEMA", schema), []any{args, kinds, queues, keys, states, now}
}
