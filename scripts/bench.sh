#!/usr/bin/env bash
# Benchmarks of the suite against baselines measured in the same run, on the
# same machine (see "Benchmarks" in README.md). Builds the real binaries,
# starts them on free ports against fresh databases, and writes
# bench/results/latest.md and bench/results/latest.json; the table is also
# printed. The console section needs npm and chromium (installed like make
# test-console does). Knobs: BENCH_SCALE (workload sizes, default 1), BENCH_RUNS
# (measurements per figure, default 3), BENCH_SECTIONS (section numbers to
# run, comma separated, e.g. 7,11; default all), BENCH_OUT (output folder, absolute),
# TEST_DATABASE_URL (the Postgres server), TRUSTENGINE_DATA_DIR (the MDB
# 2011 wards; routing is not measured without them).
set -euo pipefail
cd "$(dirname "$0")/.."

# The pipeline section's statement profile needs pg_stat_statements loaded.
PG_STAT_STATEMENTS=1 bash scripts/ensure-postgis.sh
# The console section loads the built console in Debian's chromium: build
# it before the gateway binary that embeds it.
make -s console
export CHROMIUM_PATH=${CHROMIUM_PATH:-$(bash scripts/ensure-chromium.sh)}
export BENCH_OUT=${BENCH_OUT:-$PWD/bench/results}
mkdir -p "$BENCH_OUT"
log=$BENCH_OUT/latest.log
start=$(date +%s)
# The bench writes its own files; go test's output (with any failure) is kept
# in the log next to them.
if ! (cd e2e && go test -run '^$' -bench '^BenchmarkSuite$' -benchtime 1x -timeout 90m .) >"$log" 2>&1; then
  cat "$log" >&2
  echo "make bench: failed; see $log" >&2
  exit 1
fi
cat "$BENCH_OUT/latest.md"
echo "make bench: done in $(( $(date +%s) - start )) s; wrote $BENCH_OUT/latest.md and latest.json" >&2
