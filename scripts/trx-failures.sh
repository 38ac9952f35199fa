#!/usr/bin/env bash
# Lists every failed test of the TRX files under a folder with the first lines of its message and
# stack trace, so a red run's last screen names what failed (CI shows only the tail of the output).
set -euo pipefail
dir="${1:-TestResults}"
find "$dir" -name '*.trx' -print0 2>/dev/null | xargs -0 -r awk '
  /<UnitTestResult / {
    failed = ($0 ~ /outcome="(Failed|Error|Timeout|Aborted)"/)
    if (failed) {
      name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
      print "FAILED " name
    }
    lines = 0; inside = 0
  }
  failed && /<(Message|StackTrace)>/ { inside = 1; taken = 0; sub(/.*<(Message|StackTrace)>/, "") }
  failed && inside {
    end = ($0 ~ /<\/(Message|StackTrace)>/); sub(/<\/(Message|StackTrace)>.*/, "")
    if (taken < 6 && $0 !~ /^[[:space:]]*$/) { print "    " substr($0, 1, 300); taken++ }
    if (end) inside = 0
  }
  /<\/UnitTestResult>/ { failed = 0; inside = 0 }
' || true
