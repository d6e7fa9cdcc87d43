#!/usr/bin/env bash
# compare.sh BASELINE NEW OUT_DIR: did this deploy make the service worse
# than the last accepted one?
#
# Compares the results file NEW with BASELINE (surge compare: a verdict per
# metric, seconds resampled, Holm's correction; docs/compare.md), leaving
# the ramp out (WINDOW), and writes into OUT_DIR:
#   comment.md         the Markdown for the pull request or merge request
#   compare-junit.xml  one JUnit test case per compared metric
#   compare.html       the runs' latency overlaid
# With $GITHUB_STEP_SUMMARY set, surge appends the Markdown there too.
#
# Exit code: surge compare's: 0 no regression, 112 a metric regressed (the
# pipeline's rollback runs), 2 a usage error. Without a BASELINE file (the
# first run) there is nothing to compare: it says so and exits 0, and the
# run becomes the first baseline when it is accepted.
set -euo pipefail

if [ $# -ne 3 ]; then
	echo "usage: compare.sh BASELINE NEW OUT_DIR" >&2
	exit 2
fi
baseline=$1
new=$2
out=$3
WINDOW=${WINDOW:-30s..}
MARGIN=${MARGIN:-5%}

mkdir -p "$out"
if [ ! -f "$baseline" ]; then
	msg="No accepted baseline yet: nothing to compare. This run becomes the baseline when it is accepted."
	printf '%s\n\n%s\n' '<!-- surge-compare -->' "$msg" >"$out/comment.md"
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		echo "$msg" >>"$GITHUB_STEP_SUMMARY"
	fi
	echo "$msg"
	exit 0
fi

code=0
surge compare "baseline=$baseline" "new=$new" \
	--window "$WINDOW" --margin "$MARGIN" --format markdown \
	--junit "$out/compare-junit.xml" --report "$out/compare.html" \
	>"$out/comment.md" || code=$?
head -n 2 "$out/comment.md" | tail -n 1
exit "$code"
