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
  # Go's fuzzing engine can end a clean run with "context deadline
  # exceeded" when a worker is still busy as the time runs out on a loaded
  # machine; that is no finding (no crashing input is written), so such a
  # run is made once more. A crash fails at once, and so does a second
  # deadline failure.
  fuzz() { (cd "$dir" && go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" .); }
  out=$(mktemp)
  if ! fuzz 2>&1 | tee "$out"; then
    if grep -q 'context deadline exceeded' "$out" && [ -z "$(git status --porcelain -- "$dir/testdata/fuzz/$name")" ]; then
      echo "== fuzz $dir $name: ended at the deadline without a finding; running it once more"
      fuzz
    else
      rm -f "$out"
      exit 1
    fi
  fi
  rm -f "$out"
  count=$((count + 1))
done < <(git ls-files '*_test.go' | xargs grep -n '^func Fuzz' | cut -d: -f1,2)
echo "fuzz: ${count} targets ran for ${FUZZTIME} each without a crash"
