#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for a bounded time each
# (FUZZTIME, default 15s). Fails on the first crash; the crashing input is
# left in the package's testdata/fuzz folder to become a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-15s}
count=0
while IFS=: read -r file line; do
  name=$(sed -n "${line}p" "$file" | sed -E 's/^func (Fuzz[A-Za-z0-9_]+).*/\1/')
  dir=$(dirname "$file")
  echo "== fuzz $dir $name ($FUZZTIME)"
  (cd "$dir" && go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" .)
  count=$((count + 1))
done < <(git ls-files '*_test.go' | xargs grep -n '^func Fuzz' | cut -d: -f1,2)
echo "fuzz: ${count} targets ran for ${FUZZTIME} each without a crash"
