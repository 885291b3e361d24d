package e2e

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// bulkLoad runs load, the INSERT ... SELECT generate_series statements of a
// benchmark's large tenant, in one transaction that first drops the
// secondary indexes of tables (every index no constraint uses: primary
// keys, unique constraints and the unique indexes foreign keys point at
// stay) and builds them again after the load, then vacuums and analyzes the tables.
// The indexes come back exactly as the service's migrations made them
// (their pg_indexes definitions), built once over every row instead of
// maintained row by row, which is what made a 1,000,000-ticket tenant take
// up to twenty minutes on two busy cores. VACUUM (ANALYZE) then leaves the
// tables as autovacuum keeps a live one (statistics and visibility map),
// so no autovacuum of the load runs into the measurements.
func (s *suite) bulkLoad(ctx context.Context, tables []string, load func(pgx.Tx) error) {
	s.t.Helper()
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
			FROM pg_index i
			WHERE i.indrelid = ANY($1::regclass[])
				AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
			ORDER BY 1`, tables)
		if err != nil {
			return err
		}
		type index struct{ name, def string }
		indexes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (index, error) {
			var ix index
			return ix, row.Scan(&ix.name, &ix.def)
		})
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.Exec(ctx, "DROP INDEX "+ix.name); err != nil {
				return fmt.Errorf("drop %s: %w", ix.name, err)
			}
		}
		if err := load(tx); err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.Exec(ctx, ix.def); err != nil {
				return fmt.Errorf("rebuild %s: %w", ix.name, err)
			}
		}
		return nil
	})
	if err == nil {
		_, err = s.db.Exec(ctx, "VACUUM (ANALYZE) "+strings.Join(tables, ", "))
	}
	if err != nil {
		s.t.Fatalf("bulk load of %v: %v", tables, err)
	}
}

// benchSections is BENCH_SECTIONS, the section numbers to run (comma
// separated, e.g. "7,11"); nil runs every section.
func benchSections() map[int]bool {
	v := strings.TrimSpace(os.Getenv("BENCH_SECTIONS"))
	if v == "" {
		return nil
	}
	set := map[int]bool{}
	for _, f := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			set[n] = true
		}
	}
	return set
}

// sectionWanted reports whether BENCH_SECTIONS asks for any of sections
// (the numbers one sub-benchmark measures).
func sectionWanted(sections ...int) bool {
	set := benchSections()
	if set == nil {
		return true
	}
	for _, n := range sections {
		if set[n] {
			return true
		}
	}
	return false
}
