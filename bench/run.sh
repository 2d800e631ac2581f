#!/usr/bin/env bash
# Runs arenaflow's benchmarks against their baselines and writes bench/results/latest.json.
#   bench/run.sh quick   # under ten minutes on a 2-core machine
#   bench/run.sh full    # the sizes the README's table comes from
#   bench/run.sh soak --minutes N [--guarantee exactly_once_v2|at_least_once] [--rate R] [--seed S]
#                        # two instances under faults; writes bench/results/soak-*.json and soak-latest.md
# Extra arguments go to the harness: --only SECTION,... and --out FILE. Sections: decode, memory, sync,
# changelog, async, recovery, api, stuck (one bad source beside 1,000 healthy ones, issue 15).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-}"
if [ "$mode" = soak ]; then
  shift
  echo "[bench] building (mvn package, tests skipped)" >&2
  nice mvn -B -q -pl bench -am -DskipTests package >&2
  exec nice java ${BENCH_JAVA_OPTS:-} -Darenaflow.home="$root" -cp "bench/target/arenaflow-bench.jar:bench/target/lib/*" \
    dev.arenaflow.bench.soak.SoakMain "$@"
fi
if [ "$mode" != quick ] && [ "$mode" != full ]; then
  echo "usage: bench/run.sh quick|full [--only SECTION,...] [--out FILE] | soak --minutes N [...]" >&2
  exit 2
fi
shift
echo "[bench] building (mvn package, tests skipped)" >&2
mvn -B -q -DskipTests package >&2
exec java ${BENCH_JAVA_OPTS:-} -Darenaflow.home="$root" -cp "bench/target/arenaflow-bench.jar:bench/target/lib/*" \
  dev.arenaflow.bench.BenchMain "$mode" "$@"
