#!/usr/bin/env bash
# stress.sh TARGET_URL OUT_DIR: the stress test against a deployed service.
#
# Runs stress.yml at RATE requests/s (after a RAMP) for DURATION with the
# thresholds below, and writes into OUT_DIR:
#   new.json         the results file (compare.sh compares it with the baseline)
#   stress-junit.xml one JUnit test case per threshold
#   report.html      the HTML report
# With $GITHUB_STEP_SUMMARY set, surge appends its Markdown summary there.
#
# Exit code: surge run's (docs/cli.md): 0 every threshold held, 1 one
# failed, 111 the abortOnFail threshold stopped the test, 2 a usage error.
# Thresholds catch what is plainly broken; compare.sh catches what got
# worse than the last accepted run. count>0 fails a run that sent nothing
# (a broken scenario), whose other thresholds only say "no data".
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: stress.sh TARGET_URL OUT_DIR" >&2
	exit 2
fi
target=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

export RATE=${RATE:-50}
export RAMP=${RAMP:-30s}
export DURATION=${DURATION:-2m}
P99_LIMIT=${P99_LIMIT:-500ms}
FAILURE_LIMIT=${FAILURE_LIMIT:-1%}

mkdir -p "$out"
echo "stress test: $target, $RATE requests/s for $DURATION after a $RAMP ramp"
surge run "$here/stress.yml" --target "$target" --quiet \
	--threshold "p(99)<$P99_LIMIT" \
	--threshold "failure_rate<$FAILURE_LIMIT" \
	--threshold "failure_rate<10% over 10s abortOnFail" \
	--threshold "count>0" \
	--output "$out/new.json" \
	--junit "$out/stress-junit.xml" \
	--report "$out/report.html"
