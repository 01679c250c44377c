#!/usr/bin/env bash
# Service benchmarks (issue 14), in one sitting against the packaged service: the lecture notes' tiny
# jobs (8-row softmax x 2000 epochs, XOR 2-8-1 x 1000 epochs) side by side with the same loops in
# PyTorch, and the latency of POST /jobs on the 60k Fashion-MNIST set. Writes bench/SERVICE-BENCHMARKS.md.
#
#   bench/service-bench.sh                 # 5 rounds, 100 POST /jobs calls
#   bench/service-bench.sh --rounds 3 --post-calls 50 --note "other builds running"
#   bench/service-bench.sh --no-build      # reuse service/target/trainserve-service.jar
#
# Needs python3-torch (Debian; installed with apt-get when missing, as bench/run.sh does) and
# dataset-fashion-mnist. Run it on an otherwise idle machine.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=1 ARGS=() NOTE="" COMMAND="bench/service-bench.sh"
for arg in "$@"; do COMMAND+=" $(printf '%q' "$arg")"; done
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --note) NOTE=${2:?--note needs a text}; shift ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
PYTHON=${PYTHON:-/usr/bin/python3}
if ! $PYTHON -c 'import torch' 2>/dev/null; then
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends python3-torch python3-numpy >&2
fi
if [[ $BUILD == 1 ]]; then ./mvnw -B -q package -pl service -am -DskipTests >&2; fi
[[ -f service/target/trainserve-service.jar ]] || { echo "service/target/trainserve-service.jar missing (run without --no-build)" >&2; exit 1; }
exec $PYTHON bench/service_bench.py --json "${TMPDIR:-/tmp}/trainserve-service-bench.json" --out bench/SERVICE-BENCHMARKS.md \
  --command "$COMMAND" --note "$NOTE" "${ARGS[@]}"
