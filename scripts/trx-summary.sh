#!/usr/bin/env bash
# Sums the counters of every TRX file under a folder into one line: "tests: N passed, M failed".
set -euo pipefail
dir="${1:-TestResults}"
passed=0; failed=0; found=0
while IFS= read -r -d '' trx; do
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
done < <(find "$dir" -name '*.trx' -print0 2>/dev/null)
if [ "$found" = 0 ]; then
  echo "no TRX results found in $dir" >&2
fi
echo "tests: $passed passed, $failed failed"
