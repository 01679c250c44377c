#!/usr/bin/env bash
# JMH benchmarks of the engine's hot kernels (bench/src/main/java/io/trainserve/bench/jmh):
# one MLP and one CNN training step at batch 100 (forward + fused softmax-cross-entropy + backward + Adam),
# its parts, Adam on the 269,322-parameter flat gradient, single-row and batch-256 predict.
#
#   bench/jmh.sh                         # brief: 1 fork, 2 × 1 s warm-up, 3 × 1 s measurement, all benchmarks
#   bench/jmh.sh --full                  # the annotations' settings (3 warm-up, 5 measurement iterations)
#   bench/jmh.sh 'Predict' -prof gc      # a regex of benchmarks and any further JMH options
#
# Options: --full, --no-build, --threads N (OMP_NUM_THREADS, default 2); the rest goes to JMH.
# Environment as the engine side of bench/run.sh: OMP_WAIT_POLICY=PASSIVE, OPENBLAS_CORETYPE from the
# CPU flags (bench/coretype.sh), BENCH_JAVA_OPTS (default -Xmx1g) for the forked JVMs.
set -euo pipefail
die() { echo "bench/jmh.sh: error: $*" >&2; exit 1; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

FULL=0 BUILD=1 THREADS=2 PASS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --full) FULL=1 ;;
    --no-build) BUILD=0 ;;
    --threads) THREADS=${2:?--threads needs a value}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) PASS+=("$1") ;;
  esac
  shift
done
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, got '$THREADS'"
command -v java >/dev/null || die "java not found (JDK 17+ needed)"

# shellcheck source=bench/coretype.sh
source bench/coretype.sh
detect_coretype || die "cannot choose OPENBLAS_CORETYPE"
echo "bench/jmh.sh: $CPU, avx2=$AVX2 avx512f=$AVX512F, OPENBLAS_CORETYPE=${CORETYPE:-<unset>}, OMP_NUM_THREADS=$THREADS, OMP_WAIT_POLICY=PASSIVE" >&2

if [[ $BUILD == 1 ]]; then
  ./mvnw -q -B -Pbench -pl bench -am -DskipTests package >&2 || die "Maven build failed (see above)"
fi
[[ -f bench/target/classpath.txt && -f bench/target/classes/META-INF/BenchmarkList ]] \
  || die "bench/target has no JMH benchmarks: run without --no-build"

# brief defaults, each unless given on the command line
BRIEF=()
if [[ $FULL == 0 ]]; then
  for kv in "-f 1" "-wi 2" "-w 1s" "-i 3" "-r 1s"; do
    opt=${kv% *} given=0
    for a in "${PASS[@]+"${PASS[@]}"}"; do [[ $a == "$opt" ]] && given=1; done
    [[ $given == 1 ]] || BRIEF+=("$opt" "${kv#* }")
  done
fi
OUT=bench/target/jmh-$(date +%Y%m%d-%H%M%S).json
JVM_ARGS="${BENCH_JAVA_OPTS:--Xmx1g} -Dorg.bytedeco.javacpp.cachedir=${JAVACPP_CACHE:-$HOME/.javacpp/cache}"
CORE_ENV=(); [[ -n $CORETYPE ]] && CORE_ENV=(OPENBLAS_CORETYPE="$CORETYPE")
env -u OPENBLAS_CORETYPE "${CORE_ENV[@]}" OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" \
  java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main \
  "${BRIEF[@]}" -jvmArgsAppend "$JVM_ARGS" -rf json -rff "$OUT" "${PASS[@]+"${PASS[@]}"}" \
  || die "JMH failed"
echo "bench/jmh.sh: results above; JSON in $OUT" >&2
