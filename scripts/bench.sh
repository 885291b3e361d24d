#!/usr/bin/env bash
# Benchmarks of the suite against baselines measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "make bench: the benchmark harness is not built yet; no figures are produced." >&2
exit 1
