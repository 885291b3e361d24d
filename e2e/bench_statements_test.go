package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// statementProfile is what pg_stat_statements recorded for the suite's
// database over one stretch of the bench: where the database's time went,
// statement by statement.
type statementProfile struct {
	Rows []statementRow
	// Calls and TotalMS are over every statement of the database.
	Calls   int64
	TotalMS float64
}

// statementRow is one normalised statement's share.
type statementRow struct {
	Query   string
	Calls   int64
	TotalMS float64
	MeanMS  float64
	Rows    int64
}

// startStatementProfile resets pg_stat_statements and returns a function
// that reads the profile since then; ok is false (and nothing is measured)
// when the server was not started with the library loaded, as make bench
// does (PG_STAT_STATEMENTS=1 scripts/ensure-postgis.sh).
func (s *suite) startStatementProfile(b *testing.B) (read func() statementProfile, ok bool) {
	ctx := context.Background()
	var libs string
	if err := s.db.QueryRow(ctx, `SHOW shared_preload_libraries`).Scan(&libs); err != nil {
		b.Fatalf("statements: %v", err)
	}
	if !strings.Contains(libs, "pg_stat_statements") {
		b.Logf("statements: pg_stat_statements is not loaded; no statement profile")
		return nil, false
	}
	if _, err := s.db.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		b.Fatalf("statements: %v", err)
	}
	if _, err := s.db.Exec(ctx, `SELECT pg_stat_statements_reset()`); err != nil {
		b.Fatalf("statements: %v", err)
	}
	return func() statementProfile {
		var p statementProfile
		err := s.db.QueryRow(ctx, `
			SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(total_exec_time), 0)
			FROM pg_stat_statements
			WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&p.Calls, &p.TotalMS)
		if err != nil {
			b.Fatalf("statements: %v", err)
		}
		rows, err := s.db.Query(ctx, `
			SELECT query, calls, total_exec_time, mean_exec_time, rows
			FROM pg_stat_statements
			WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
			ORDER BY total_exec_time DESC
			LIMIT 15`)
		if err != nil {
			b.Fatalf("statements: %v", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r statementRow
			if err := rows.Scan(&r.Query, &r.Calls, &r.TotalMS, &r.MeanMS, &r.Rows); err != nil {
				b.Fatalf("statements: %v", err)
			}
			r.Query = strings.Join(strings.Fields(r.Query), " ")
			p.Rows = append(p.Rows, r)
		}
		if err := rows.Err(); err != nil {
			b.Fatalf("statements: %v", err)
		}
		return p
	}, true
}

// markdown is the profile as a table, with each statement cut to width
// characters.
func (p statementProfile) markdown(width int) string {
	var b strings.Builder
	b.WriteString("| share of time | total ms | calls | mean ms | rows | statement |\n|---:|---:|---:|---:|---:|---|\n")
	for _, r := range p.Rows {
		q := r.Query
		if len(q) > width {
			q = q[:width] + "…"
		}
		q = strings.ReplaceAll(q, "|", `\|`)
		fmt.Fprintf(&b, "| %.1f%% | %.0f | %d | %.2f | %d | `%s` |\n", 100*r.TotalMS/p.TotalMS, r.TotalMS, r.Calls, r.MeanMS, r.Rows, q)
	}
	return b.String()
}

// writeStatementProfile stores p as <BENCH_OUT>/<label>-statements.md and
// returns the path.
func writeStatementProfile(label string, p statementProfile, heading string) (string, error) {
	dir := os.Getenv("BENCH_OUT")
	if dir == "" {
		dir = filepath.Join(benchRepoRoot(), "bench", "results")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, label+"-statements.md")
	text := fmt.Sprintf("%s\n\n%d statements, %.0f ms of execution in all.\n\n%s", heading, p.Calls, p.TotalMS, p.markdown(400))
	return path, os.WriteFile(path, []byte(text), 0o644)
}
