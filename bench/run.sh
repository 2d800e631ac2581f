#!/usr/bin/env bash
# Runs arenaflow's benchmarks against their baselines and writes bench/results/latest.json.
#   bench/run.sh quick   # under ten minutes on a 2-core machine
#   bench/run.sh full    # the sizes the README's table comes from
# Extra arguments go to the harness: --only SECTION,... and --out FILE.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-}"
if [ "$mode" != quick ] && [ "$mode" != full ]; then
  echo "usage: bench/run.sh quick|full [--only SECTION,...] [--out FILE]" >&2
  exit 2
fi
shift
echo "[bench] building (mvn package, tests skipped)" >&2
mvn -B -q -DskipTests package >&2
exec java ${BENCH_JAVA_OPTS:-} -Darenaflow.home="$root" -cp "bench/target/arenaflow-bench.jar:bench/target/lib/*" \
  dev.arenaflow.bench.BenchMain "$mode" "$@"
