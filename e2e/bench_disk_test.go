package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// diskLimitDDL is the disk-limit baseline's table: a ticket-like row (the
// ticket's identity, tenant, reference, words, text, PostGIS point and
// time) with a primary key and a GIST index on the point, and nothing else:
// no row-level security, history, jobs or reference sequence.
const diskLimitDDL = `CREATE SCHEMA IF NOT EXISTS bench_disk;
CREATE TABLE IF NOT EXISTS bench_disk.tickets (
	id uuid PRIMARY KEY, tenant text NOT NULL, reference text NOT NULL, category text NOT NULL,
	status text NOT NULL, description text NOT NULL, location geometry(Point, 4326) NOT NULL,
	create_time timestamptz NOT NULL);
CREATE INDEX IF NOT EXISTS tickets_location ON bench_disk.tickets USING gist (location)`

// diskInserts returns an op doing what pgbench's simplest durable write
// does: one INSERT of one ticket-like row, committed on its own (one round
// trip, one commit flush, shared with concurrent commits by group commit).
// The rate of this op is the most a durable create can reach on this disk
// and server, whatever the service does.
func diskInserts(pool *pgxpool.Pool) func(int) error {
	return func(i int) error {
		p := createPoint(i)
		_, err := pool.Exec(context.Background(), `INSERT INTO bench_disk.tickets
			VALUES ($1, 'DISK', $2, 'water', 'open', 'Burst pipe on Main Road', ST_SetSRID(ST_MakePoint($3, $4), 4326), $5)`,
			uuid.NewString(), fmt.Sprintf("DISK-2026-%06d", i), p.GetLongitude(), p.GetLatitude(), time.Now())
		return err
	}
}

// diskLimitSizes are the inserts per measurement at 1 and 16 clients.
func diskLimitSizes() map[int]int { return map[int]int{1: scaled(2000, 100), 16: scaled(8000, 400)} }

// measureDiskLimit measures the disk-limit insert rate once at each of 1
// and 16 clients on pool and appends it to rates ("disk/1", "disk/16").
func measureDiskLimit(b *testing.B, pool *pgxpool.Pool, rates map[string][]float64) {
	if _, err := pool.Exec(context.Background(), diskLimitDDL); err != nil {
		b.Fatalf("disk-limit table: %v", err)
	}
	for c, n := range diskLimitSizes() {
		took, _, err := loadRun(n, c, diskInserts(pool))
		if err != nil {
			b.Fatalf("disk-limit inserts at %d: %v", c, err)
		}
		key := fmt.Sprintf("disk/%d", c)
		rates[key] = append(rates[key], perSecond(n, took))
	}
}

// reportDiskLimit records the disk-limit figures and keeps their medians
// for the ratios of the later sections.
func reportDiskLimit(r *benchReport, rates map[string][]float64) {
	for _, c := range []int{1, 16} {
		s := spreadOf(rates[fmt.Sprintf("disk/%d", c)])
		r.add("0 disk limit", fmt.Sprintf("baseline: durable single-row INSERT of a ticket-like row (PostGIS point, GIST index) via pgx, %s", clientsLabel(c)), "rows/s", s)
		r.setDiskLimit(c, s.Median)
	}
	sz := diskLimitSizes()
	r.note("Disk limit: %d single-row INSERTs per run at 1 client, %d at 16, each committed on its own into a table with only a primary key and a GIST index (bench_disk.tickets), as pgbench's simplest durable write; measured in the create section, alternating with the creates.", sz[1], sz[16])
}

// ratioRow adds a figure that is rates (one per run) divided by the
// disk-limit median at clients, named "<name> / disk limit".
func (r *benchReport) ratioRow(section, name string, rates []float64, clients int) {
	limit := r.diskLimitAt(clients)
	if limit == 0 {
		return
	}
	out := make([]float64, len(rates))
	for i, v := range rates {
		out[i] = v / limit
	}
	r.add(section, fmt.Sprintf("%s / disk-limit insert rate at %s", name, clientsLabel(clients)), "x", spreadOf(out))
}
