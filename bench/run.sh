#!/usr/bin/env bash
# Engine vs PyTorch benchmark (issue 3): in one sitting, alternates engine and PyTorch runs of every
# workload on Fashion-MNIST with the same settings and thread count, then writes engine/BENCHMARKS.md.
#
#   bench/run.sh                  # full: 5 rounds; 2 warm-up + 5 measured epochs (CNN: 1 + 1), all 60k rows
#   bench/run.sh --quick          # smoke run: 1 round, 1 measured epoch, CNN on 10k rows
#   bench/run.sh --threads 1 --rounds 5 --workloads mlp,predict_single --epochs mlp=5
#
# Options:
#   --quick               1 round, 1 measured epoch everywhere, CNN on a 10,000-row subset, shorter predict runs
#   --rounds N            rounds (each runs every workload once per side; default 5: ratios near 1.0 need them)
#   --threads N           threads for both sides (default 2)
#   --workloads a,b       subset of: softmax,mlp,mlp_bn_dropout,cnn,predict_single,predict_batch256
#   --epochs W=N[,W=N]    measured epochs per workload (after the warm-up epochs); W=all sets every workload;
#                         for predict_* it is the MLP's training epochs before measuring
#   --warmup W=N[,W=N]    untimed warm-up epochs per training workload, both sides (full mode: 2, CNN 1;
#                         quick mode: 1)
#   --train-rows W=N      train on the first N rows for workload W (0 = all 60,000); full mode defaults to
#                         all rows, quick mode to cnn=10000
#   --calls N             single-row predict: timed calls (default 20000, after as many warm-up calls)
#   --seconds S           batch-256 inference: timed seconds per run (default 3)
#   --warmup-seconds S    both predict workloads: untimed seconds of predicts first (single-row: at least
#                         as many calls as timed too), both sides (default 2: the engine's JIT compiles
#                         the predict paths over the first ~2 s)
#   --out FILE            report path (default engine/BENCHMARKS.md)
#   --note TEXT           a remark printed at the top of the report
#   --no-install          do not apt-get install missing packages (fail instead)
#   --no-build            reuse bench/target (do not run Maven)
# Environment: BENCH_JAVA_OPTS (default "-Xmx512m": the issue's memory goal, so every sitting proves it), BENCH_OPENBLAS_CORETYPE (override the detected core
# type; refused if the CPU lacks the instruction set), PYTHON (default /usr/bin/python3, Debian's, which
# is where python3-torch is installed), FASHION_MNIST_DIR (default /usr/share/datasets/fashion-mnist).
set -euo pipefail

die() { echo "bench/run.sh: error: $*" >&2; exit 1; }
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
COMMAND="bench/run.sh"
for arg in "$@"; do COMMAND+=" $(printf '%q' "$arg")"; done

ALL_WORKLOADS=(softmax mlp mlp_bn_dropout cnn predict_single predict_batch256)
QUICK=0 ROUNDS="" THREADS=2 WORKLOADS="" EPOCH_ARGS="" WARMUP_ARGS="" ROWS_ARGS="" CALLS="" SECONDS_ARG="" WARMUP_SECONDS="" OUT="engine/BENCHMARKS.md"
INSTALL=1 BUILD=1 NOTE=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift ;;
    --threads) THREADS=${2:?--threads needs a value}; shift ;;
    --workloads) WORKLOADS=${2:?--workloads needs a value}; shift ;;
    --epochs) EPOCH_ARGS="$EPOCH_ARGS,${2:?--epochs needs W=N}"; shift ;;
    --warmup) WARMUP_ARGS="$WARMUP_ARGS,${2:?--warmup needs W=N}"; shift ;;
    --train-rows) ROWS_ARGS="$ROWS_ARGS,${2:?--train-rows needs W=N}"; shift ;;
    --calls) CALLS=${2:?--calls needs a value}; shift ;;
    --seconds) SECONDS_ARG=${2:?--seconds needs a value}; shift ;;
    --warmup-seconds) WARMUP_SECONDS=${2:?--warmup-seconds needs a value}; shift ;;
    --out) OUT=${2:?--out needs a path}; shift ;;
    --note) NOTE=${2:?--note needs a text}; shift ;;
    --no-install) INSTALL=0 ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see bench/run.sh --help)" ;;
  esac
  shift
done
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, got '$THREADS'"

# ---- settings per mode -------------------------------------------------------------------------
declare -A EPOCHS ROWS WARMUP
if [[ $QUICK == 1 ]]; then
  ROUNDS=${ROUNDS:-1} CALLS=${CALLS:-2000} SECONDS_ARG=${SECONDS_ARG:-1.5} WARMUP_SECONDS=${WARMUP_SECONDS:-1}
  for w in "${ALL_WORKLOADS[@]}"; do EPOCHS[$w]=1 ROWS[$w]=0 WARMUP[$w]=1; done
  ROWS[cnn]=10000
else
  ROUNDS=${ROUNDS:-5} CALLS=${CALLS:-20000} SECONDS_ARG=${SECONDS_ARG:-3} WARMUP_SECONDS=${WARMUP_SECONDS:-2}
  # 5 measured epochs: on 2 cores the JVM's C2 compiler is still at work in the 2nd-3rd epoch and
  # takes a core from the engine's two BLAS threads (one epoch in three ran ~40 % slower); the
  # median of 5 is the steady state, for both sides alike
  # 2 warm-up epochs: a long-running service trains with compiled code; the first two epochs of
  # the MLPs (1,200 steps) include the C2 compilations. The CNN's first epoch alone is 20 s.
  for w in "${ALL_WORKLOADS[@]}"; do EPOCHS[$w]=5 ROWS[$w]=0 WARMUP[$w]=2; done
  EPOCHS[cnn]=1 EPOCHS[predict_single]=1 EPOCHS[predict_batch256]=1 WARMUP[cnn]=1
  ROWS[cnn]=0       # all 60,000 rows (the im2col CNN takes ~25 s per epoch here)
fi
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$ROUNDS'"
is_workload() { local w; for w in "${ALL_WORKLOADS[@]}"; do [[ $w == "$1" ]] && return 0; done; return 1; }
apply_pairs() { # apply_pairs ARRAY_NAME "w=n,w=n"
  local -n target=$1; local pair w n
  IFS=',' read -ra pairs <<< "$2"
  for pair in "${pairs[@]}"; do
    [[ -z $pair ]] && continue
    [[ $pair =~ ^([a-z_0-9]+)=([0-9]+)$ ]] || die "expected WORKLOAD=N, got '$pair'"
    w=${BASH_REMATCH[1]} n=${BASH_REMATCH[2]}
    if [[ $w == all ]]; then for x in "${ALL_WORKLOADS[@]}"; do target[$x]=$n; done
    else is_workload "$w" || die "unknown workload '$w' (one of ${ALL_WORKLOADS[*]})"; target[$w]=$n; fi
  done
}
apply_pairs EPOCHS "$EPOCH_ARGS"
apply_pairs WARMUP "$WARMUP_ARGS"
apply_pairs ROWS "$ROWS_ARGS"
if [[ -n $WORKLOADS ]]; then
  IFS=',' read -ra SELECTED <<< "$WORKLOADS"
  for w in "${SELECTED[@]}"; do is_workload "$w" || die "unknown workload '$w' (one of ${ALL_WORKLOADS[*]})"; done
else
  SELECTED=("${ALL_WORKLOADS[@]}")
fi
for w in "${SELECTED[@]}"; do
  case $w in
    predict_*) [[ ${EPOCHS[$w]} -ge 1 ]] || die "--epochs $w must be at least 1" ;;
    *) [[ ${EPOCHS[$w]} -ge 1 ]] || die "--epochs $w must be at least 1 (measured epochs after the warm-up)" ;;
  esac
done

# ---- prerequisites -----------------------------------------------------------------------------
DATA=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
PYTHON=${PYTHON:-/usr/bin/python3}
NEED=()
for pkg in python3-torch python3-numpy libopenblas0-openmp; do
  dpkg -s "$pkg" >/dev/null 2>&1 || NEED+=("$pkg")
done
[[ -f $DATA/train-images-idx3-ubyte.gz ]] || { [[ $DATA == /usr/share/datasets/fashion-mnist ]] && NEED+=(dataset-fashion-mnist); }
if [[ ${#NEED[@]} -gt 0 ]]; then
  [[ $INSTALL == 1 ]] || die "missing packages: ${NEED[*]} (install them or drop --no-install)"
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  log "installing ${NEED[*]}"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${NEED[@]}" >&2 \
    || die "apt-get install ${NEED[*]} failed"
fi
[[ -f $DATA/train-images-idx3-ubyte.gz ]] || die "Fashion-MNIST not found in $DATA (apt-get install dataset-fashion-mnist)"
[[ -x $PYTHON ]] || die "$PYTHON not found (set PYTHON to the interpreter that has python3-torch)"
"$PYTHON" -c 'import torch, numpy' 2>/dev/null || die "$PYTHON cannot import torch and numpy (python3-torch is Debian's: use /usr/bin/python3)"
command -v java >/dev/null || die "java not found (JDK 17+ needed)"

# PyTorch loads libblas.so.3 through Debian's alternatives; point it at the OpenMP OpenBLAS build
# explicitly (the pthread build oversubscribes, the reference BLAS is 15x slower) without changing
# the system's alternatives.
OPENMP_BLAS_DIR=/usr/lib/x86_64-linux-gnu/openblas-openmp
[[ -d $OPENMP_BLAS_DIR ]] || OPENMP_BLAS_DIR=$(dirname "$(dpkg -L libopenblas0-openmp | grep -m1 '/openblas-openmp/libblas.so.3$')")
[[ -f $OPENMP_BLAS_DIR/libblas.so.3 ]] || die "libopenblas0-openmp is installed but its libblas.so.3 was not found"

# ---- OpenBLAS core type: the best kernels this CPU has, never an instruction set it lacks -------
# shellcheck source=bench/coretype.sh
source bench/coretype.sh
detect_coretype || die "cannot choose OPENBLAS_CORETYPE"
log "CPU: $CPU, $(nproc) cores, avx2=$AVX2 avx512f=$AVX512F -> OPENBLAS_CORETYPE=${CORETYPE:-<unset>} for both sides" \
    "(environment had ${OPENBLAS_CORETYPE:-<unset>})"

# ---- build -------------------------------------------------------------------------------------
CP_FILE=bench/target/classpath.txt
if [[ $BUILD == 1 ]]; then
  log "building engine + bench module (./mvnw -Pbench -pl bench -am -DskipTests package)"
  ./mvnw -q -B -Pbench -pl bench -am -DskipTests package >&2 || die "Maven build failed (see above)"
fi
[[ -f $CP_FILE && -d bench/target/classes ]] || die "$CP_FILE missing: run without --no-build"
CLASSPATH_ENGINE="bench/target/classes:$(cat "$CP_FILE")"
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx512m}
JAVA_OPTS="$JAVA_OPTS -Dorg.bytedeco.javacpp.cachedir=${JAVACPP_CACHE:-$HOME/.javacpp/cache}"

# ---- the sitting -------------------------------------------------------------------------------
STAMP=$(date +%Y%m%d-%H%M%S)
WORK=bench/target/results-$STAMP
mkdir -p "$WORK/logs"
RESULTS=$WORK/results.jsonl
: > "$RESULTS"
FAILURES=()
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v c="$(nproc)" 'BEGIN{exit !(l > 0.3 * c)}'; then
  log "WARNING: the machine is busy (load average $LOAD_BEFORE on $(nproc) cores). Competing processes distort both" \
      "sides, PyTorch's spinning OpenMP threads most (epochs 10x slower were seen); the report will be marked provisional."
fi
START=$(date +%s)

# Both sides get the same core type and thread count; each its own best wait policy.
CORE_ENV=(); [[ -n $CORETYPE ]] && CORE_ENV=(OPENBLAS_CORETYPE="$CORETYPE")
PYTORCH_MALLOC="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296"
run_side() { # run_side SIDE WORKLOAD ROUND
  local side=$1 w=$2 round=$3 log_file="$WORK/logs/$3-$1-$2.log" t0 rc=0
  local args=(--workload "$w" --threads "$THREADS" --epochs "${EPOCHS[$w]}" --warmup "${WARMUP[$w]}" --repeats 1 --round "$round"
              --train-rows "${ROWS[$w]}" --calls "$CALLS" --seconds "$SECONDS_ARG"
              --warmup-seconds "$WARMUP_SECONDS" --data "$DATA")
  t0=$(date +%s.%N)
  if [[ $side == engine ]]; then
    # shellcheck disable=SC2086
    env -u OPENBLAS_CORETYPE "${CORE_ENV[@]}" OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" \
      java $JAVA_OPTS -cp "$CLASSPATH_ENGINE" io.trainserve.bench.EngineBench "${args[@]}" \
      > "$WORK/out.json" 2> "$log_file" || rc=$?
  else
    # glibc's malloc hands PyTorch's per-step buffers (up to 8.6 MB for the CNN) back to the kernel
    # and faults them in again: the CNN epoch ran 1.6 or 3.8 s on 10k rows by run, with 9-19 s of
    # system time; kept in the heap it ran 1.6-1.9 s every time (PyTorch's docs advise jemalloc or
    # tcmalloc for the same reason)
    env -u OPENBLAS_CORETYPE -u OMP_WAIT_POLICY "${CORE_ENV[@]}" OMP_NUM_THREADS="$THREADS" \
      GLIBC_TUNABLES="$PYTORCH_MALLOC" \
      LD_LIBRARY_PATH="$OPENMP_BLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      "$PYTHON" bench/pytorch_peer.py "${args[@]}" > "$WORK/out.json" 2> "$log_file" || rc=$?
  fi
  local took; took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  if [[ $rc != 0 ]] || ! grep -q '^{' "$WORK/out.json"; then
    local why; why=$(grep -m1 -E 'Exception|Error|error' "$log_file" || tail -n 2 "$log_file" || true)
    FAILURES+=("round $round, $side $w: exit code $rc: $(tr '\n\t' '  ' <<< "$why" | cut -c1-300) (log: $log_file)")
    log "FAILED round $round $side $w (exit $rc, ${took}s); last lines of $log_file:"
    tail -n 15 "$log_file" >&2 || true
    return 0
  fi
  grep '^{' "$WORK/out.json" >> "$RESULTS"
  log "round $round/$ROUNDS $side $w: $(grep '^{' "$WORK/out.json" | tail -n1 | "$PYTHON" bench/report.py --line) (${took}s)"
}

log "sitting: ${ROUNDS} round(s) x {${SELECTED[*]}} x {engine, pytorch}, threads $THREADS; results in $WORK"
for ((round = 1; round <= ROUNDS; round++)); do
  for w in "${SELECTED[@]}"; do
    # alternate which side goes first so slow drifts in machine load hit both sides alike
    if (( round % 2 == 1 )); then run_side engine "$w" "$round"; run_side pytorch "$w" "$round"
    else run_side pytorch "$w" "$round"; run_side engine "$w" "$round"; fi
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
log "sitting took $(( $(date +%s) - START )) s"

# ---- report ------------------------------------------------------------------------------------
failures_text=$(printf '%s\n' "${FAILURES[@]+"${FAILURES[@]}"}")
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT (with uncommitted changes)"
MODE=$([[ $QUICK == 1 ]] && echo quick || echo full)
CPU="$CPU" CORES=$(nproc) AVX2=$AVX2 AVX512F=$AVX512F CORETYPE="$CORETYPE" THREADS=$THREADS \
DATE="$(date -u '+%Y-%m-%d %H:%M UTC')" COMMAND="$COMMAND" COMMIT="$COMMIT" MODE=$MODE ROUNDS=$ROUNDS \
LOAD_BEFORE="$LOAD_BEFORE" LOAD_AFTER="$LOAD_AFTER" JAVA_OPTS_USED="$JAVA_OPTS" FAILURES_TEXT="$failures_text" NOTE="$NOTE" \
"$PYTHON" - "$WORK/machine.json" <<'PY'
import json, os, sys
e = os.environ
json.dump({"cpu": e["CPU"], "cores": int(e["CORES"]), "avx2": e["AVX2"] == "true", "avx512f": e["AVX512F"] == "true",
           "coretype": e["CORETYPE"], "threads": int(e["THREADS"]), "date": e["DATE"], "command": e["COMMAND"],
           "commit": e["COMMIT"], "mode": e["MODE"], "rounds": int(e["ROUNDS"]), "load_before": e["LOAD_BEFORE"],
           "load_after": e["LOAD_AFTER"], "java_opts": e["JAVA_OPTS_USED"],
           "note": e["NOTE"], "failures": [f for f in e["FAILURES_TEXT"].splitlines() if f]}, open(sys.argv[1], "w"), indent=1)
PY
"$PYTHON" bench/report.py "$RESULTS" "$WORK/machine.json" "$OUT" || die "writing $OUT failed (results kept in $RESULTS)"
log "wrote $OUT (raw results: $RESULTS)"
if [[ ${#FAILURES[@]} -gt 0 ]]; then
  printf '  %s\n' "${FAILURES[@]}" >&2
  die "${#FAILURES[@]} run(s) failed; $OUT lists them"
fi
