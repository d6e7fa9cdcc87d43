#!/usr/bin/env bash
# run.sh [OUT_DIR]: the stress lab, end to end (README.md).
#
# Serves the heavy target behind an emulated Fargate service that scales
# (surge target fleet), runs scenario.yml against it while scraping the
# service's metrics, and writes the results and the HTML report. With
# CAPACITY=1 it first searches the capacity of the heavy path on a service
# pinned to TASKS tasks (surge capacity).
#
# Writes into OUT_DIR (default ./out): run.json, report.html, fleet.log,
# after.json (the service's status once it has scaled back in), and with
# CAPACITY=1 capacity.json, capacity.html and capacity-fleet.log.
#
# Settings (environment): ENV (a config.environments name of scenario.yml,
# e.g. quick; default none: the full 170 s run), TIME_SCALE (virtual
# seconds per real second, 60), MAX (most tasks, 8), CAPACITY (0), TASKS
# (tasks of the pinned service, 2), SLO (the capacity search's objectives),
# SCALE_IN_WAIT (longest wait for the scale-in after the run, 120 s).
# Exit code: surge run's (then surge capacity's).
set -euo pipefail

out=${1:-out}
here=$(cd "$(dirname "$0")" && pwd)
TIME_SCALE=${TIME_SCALE:-60}
MAX=${MAX:-8}
CAPACITY=${CAPACITY:-0}
TASKS=${TASKS:-2}
SLO=${SLO:-p99<300ms, failure_rate<1%}
SCALE_IN_WAIT=${SCALE_IN_WAIT:-120}
mkdir -p "$out"

# start_fleet LOG ARGS...: starts the emulator on a free loopback port and
# sets url once it listens.
start_fleet() {
	local log=$1
	shift
	surge target fleet --addr 127.0.0.1:0 --task-capacity 500 --target-cpu 50 \
		--queue-timeout 500ms --time-scale "$TIME_SCALE" "$@" >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" || true)
		if [ -n "$url" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "the fleet emulator did not start:" >&2
	cat "$log" >&2
	exit 1
}

# status prints the fleet's /_surge/status JSON, over bash's own /dev/tcp
# so that the lab needs no HTTP client beside surge.
status() {
	local hostport=${url#http://}
	exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
	printf 'GET /_surge/status HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&3
	sed '1,/^\r\{0,1\}$/d' <&3
	exec 3<&-
}

# await_scale_in writes the fleet's status to OUT/after.json once it is
# back at its minimum of 1 task, or after SCALE_IN_WAIT seconds: on a busy
# machine the scale-in (15 low datapoints, then the cooldown) can come
# after the scenario's quiet spell has ended.
await_scale_in() {
	local waited=0
	while status >"$out/after.json" && ! grep -q '"desired_tasks":1,' "$out/after.json" &&
		[ "$waited" -lt "$((SCALE_IN_WAIT * 10))" ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	echo "after the run: $(grep -o '"desired_tasks":[0-9]*,"pending_tasks":[0-9]*,"running_tasks":[0-9]*' "$out/after.json")"
}

stop_fleet() {
	kill -TERM "$pid"
	wait "$pid" || true
}

if [ "$CAPACITY" = 1 ]; then
	start_fleet "$out/capacity-fleet.log" --min "$TASKS" --max "$TASKS" --desired "$TASKS"
	echo "capacity of the heavy path on $TASKS tasks ($url), SLO '$SLO'"
	code=0
	surge capacity "$url/cpu?ms=48" --slo "$SLO" --start 5 --probe 5s \
		--output "$out/capacity.json" --report "$out/capacity.html" || code=$?
	stop_fleet
	if [ "$code" != 0 ]; then
		exit "$code"
	fi
fi

start_fleet "$out/fleet.log" --min 1 --max "$MAX" --desired 1
echo "scenario.yml${ENV:+ -e $ENV} against a fleet of 1 to $MAX tasks ($url), time scale $TIME_SCALE"
code=0
surge run "$here/scenario.yml" ${ENV:+-e "$ENV"} --target "$url" --quiet \
	--output "$out/run.json" --report "$out/report.html" \
	--monitor "$url/metrics" \
	--monitor-series surge_fleet_desired_tasks \
	--monitor-series surge_fleet_running_tasks \
	--monitor-series surge_fleet_cpu_utilization \
	--monitor-series surge_fleet_scaling_activities_total \
	--monitor-series surge_fleet_path_requests_total \
	--monitor-series surge_fleet_path_cpu_seconds_total \
	--monitor-series surge_fleet_path_duration_seconds_sum \
	--monitor-series surge_fleet_path_duration_seconds_count \
	--monitor-series surge_fleet_healthy_tasks \
	--monitor-series surge_fleet_requests_total \
	--monitor-series surge_fleet_virtual_time_seconds \
	--monitor-series surge_fleet_settings || code=$?
await_scale_in
stop_fleet
exit "$code"
