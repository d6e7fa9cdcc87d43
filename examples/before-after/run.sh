#!/usr/bin/env bash
# run.sh [OUT_DIR]: the serverless lab, end to end (README.md).
#
# Emulates a Lambda function (surge target lambda) whose handler takes
# 200 ms, loads it with load.yml while scraping the emulator's metrics,
# does the same with the "optimised" 80 ms handler, and compares the two
# runs: latency, and the function's concurrency and throttles. Writes into
# OUT_DIR (default ./out): before.json, after.json, compare.md (the
# Markdown), compare.html, and the emulators' logs; prints the comparison.
#
# Settings (environment): RATE (100 requests/s), DURATION (30s), LIMIT (the
# account's concurrency quota, 19), WINDOW (the seconds compared, 2s..).
# Exit code: surge compare's (0 unless a metric regressed: 112).
set -euo pipefail

out=${1:-out}
here=$(cd "$(dirname "$0")" && pwd)
export RATE=${RATE:-100}
export DURATION=${DURATION:-30s}
LIMIT=${LIMIT:-19}
WINDOW=${WINDOW:-2s..}
mkdir -p "$out"

# start_function HANDLER LOG: starts the emulator on a free loopback port
# and prints its URL once it listens.
start_function() {
	surge target lambda --addr 127.0.0.1:0 --handler-duration "$1" \
		--init-duration 0s --account-concurrency "$LIMIT" >"$2" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$2" || true)
		if [ -n "$url" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "the emulator did not start:" >&2
	cat "$2" >&2
	exit 1
}

# load NAME HANDLER: one run of the lab against a fresh function.
load() {
	start_function "$2" "$out/$1-function.log"
	echo "$1: handler $2, $RATE requests/s for $DURATION, concurrency limit $LIMIT ($url)"
	surge run "$here/load.yml" --target "$url" --quiet --output "$out/$1.json" \
		--monitor "$url/metrics" \
		--monitor-series surge_lambda_concurrent_executions \
		--monitor-series surge_lambda_throttles_total \
		--monitor-series surge_lambda_invocations_total
	kill -TERM "$pid"
	wait "$pid" || true
}

load before 200ms
load after 80ms

code=0
surge compare "before=$out/before.json" "after=$out/after.json" --window "$WINDOW" \
	--report "$out/compare.html" || code=$?
surge compare "before=$out/before.json" "after=$out/after.json" --window "$WINDOW" \
	--format markdown --fail-on none >"$out/compare.md"
exit "$code"
