#!/usr/bin/env bash
# Load benchmark of the serving path: starts the packaged service on a free port with a fresh data
# directory, trains the models it needs through the API (a 784-256-256-10 Fashion-MNIST MLP and the
# notes' 4-feature softmax), then drives POST /models/{id}/predict with wrk (2 threads, 64 connections)
# in several rounds: single-row MLP, 64-row MLP batches, single-row softmax, single-row MLP while a
# training job runs, single-row MLP on the same server after 100 more jobs, and
# single-row MLP with dynamic batching on. Profiles one MLP run (perf, else JFR)
# and writes bench/SERVING.md (medians over the rounds, every run, what else ran on the machine).
#
#   bench/serving.sh [--rounds N] [--duration S] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3; DURATION=10; BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2;;
    --duration) DURATION=$2; shift 2;;
    --no-build) BUILD=0; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
KEY=${TRAINSERVE_ADMIN_KEY:-ts_e2eadminkey0000000000000000000000000000000000000}
AUTH="Authorization: Bearer $KEY"
FASHION=/usr/share/datasets/fashion-mnist
command -v wrk >/dev/null || apt-get install -y wrk
[ -f "$FASHION/train-images-idx3-ubyte.gz" ] || apt-get install -y dataset-fashion-mnist
JAR=service/target/trainserve-service.jar
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then ./mvnw -B -q -DskipTests package -pl service -am; fi

OUT=bench/target/serving-$(date -u +%Y%m%dT%H%M%S); mkdir -p "$OUT"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
start_service() { # $1 = extra JVM/app args; a restart (KEEP_DATA=1 at the stop) keeps the data directory and its models
  [ -n "${DATA:-}" ] && [ -d "$DATA" ] || DATA=$(mktemp -d /tmp/trainserve-bench.XXXXXX)
  TRAINSERVE_ADMIN_KEY=$KEY TRAINSERVE_DATA_DIR=$DATA OMP_WAIT_POLICY=PASSIVE \
    java -Xmx2g -XX:+FlightRecorder -XX:+PreserveFramePointer -jar "$JAR" --server.port="$PORT" --trainserve.security.rate-limit.jobs=100000 $1 > "$OUT/service.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 1200); do curl -sf "$BASE/actuator/health/readiness" >/dev/null && return 0; sleep 0.5; done
  echo "service did not start; see $OUT/service.log" >&2; exit 1
}
stop_service() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$DATA"; }
trap stop_service EXIT
api() { curl -sf -H "$AUTH" "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
await_job() { # $1 job id
  for _ in $(seq 1 1200); do
    S=$(api "$BASE/jobs/$1" | json '["status"]')
    case "$S" in SUCCEEDED) return 0;; FAILED|CANCELLED) echo "job $1 $S" >&2; exit 1;; esac
    sleep 0.5
  done
}
train_models() {
  FDS=$(api -F images=@$FASHION/train-images-idx3-ubyte.gz -F labels=@$FASHION/train-labels-idx1-ubyte.gz -F name=fashion "$BASE/datasets" | json '["id"]')
  MLP_SPEC='{"modelId": "mlp", "datasetId": "'$FDS'", "model": {"layers": [{"type": "flatten"},
    {"type": "dense", "units": 256, "activation": "relu"}, {"type": "dense", "units": 256, "activation": "relu"},
    {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "sparse_categorical_crossentropy"},
    "training": {"optimizer": "adam", "learningRate": 0.001, "epochs": EPOCHS, "batchSize": 100, "seed": 1}}'
  J=$(echo "${MLP_SPEC/EPOCHS/1}" | api -H 'Content-Type: application/json' -d @- "$BASE/jobs" | json '["id"]'); await_job "$J"
  SDS=$(api -F file=@examples/softmax8.csv -F name=softmax8 "$BASE/datasets" | json '["id"]')
  J=$(sed "s/DATASET_ID/$SDS/" examples/softmax-job.json | api -H 'Content-Type: application/json' -d @- "$BASE/jobs" | json '["id"]'); await_job "$J"
}
python3 - "$OUT" <<'PY'
import random, sys, json
out = sys.argv[1]; random.seed(1)
def row(): return [random.randint(0, 255) for _ in range(784)]
json.dump({"instances": [row()]}, open(f"{out}/mlp1.json", "w"))
json.dump({"instances": [row() for _ in range(64)]}, open(f"{out}/mlp64.json", "w"))
json.dump({"instances": [[1, 2, 1, 1]]}, open(f"{out}/softmax1.json", "w"))
PY
cat > "$OUT/post.lua" <<'LUA'
local f = io.open(os.getenv("BODY"), "r"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of a process, in clock ticks
load_run() { # $1 scenario, $2 model, $3 body file, $4 query
  local line before after hz wrk_cpu requests
  hz=$(getconf CLK_TCK); before=$(cpu_ticks "$PID")
  /usr/bin/time -f 'WRKCPU %U %S' -o "$OUT/wrk-time" env BODY="$OUT/$3" KEY=$KEY \
    wrk -t2 -c64 -d"${DURATION}s" --timeout 10s --latency -s "$OUT/post.lua" "$BASE/models/$2/predict$4" > "$OUT/wrk-last.log"
  after=$(cpu_ticks "$PID"); cat "$OUT/wrk-last.log" >> "$OUT/wrk-$1.log"
  line=$(grep '^RESULT' "$OUT/wrk-last.log"); requests=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
  wrk_cpu=$(awk '/WRKCPU/ {print $2 + $3}' "$OUT/wrk-time")
  # CPU milliseconds per request: the server's (all its threads, incl. a training job when one runs) and wrk's
  echo "$1 round=$R load=$(cut -d' ' -f1 /proc/loadavg) $line server_cpu_ms=$(echo "scale=4; ($after - $before) * 1000 / $hz / $requests" | bc) wrk_cpu_ms=$(echo "scale=4; $wrk_cpu * 1000 / $requests" | bc)" | tee -a "$OUT/runs.txt"
}
# One single-row MLP run under a sampling profiler: perf (every thread incl. the kernel, JIT frames named
# through the JVM's perf map; the JVM keeps frame pointers for the call stacks), else JFR's execution samples.
profile_run() {
  if command -v perf >/dev/null && perf record -o /dev/null -- true >/dev/null 2>&1; then
    ( sleep 1; timeout "$((DURATION - 2))" perf record -F 499 -g -p "$PID" -o "$OUT/mlp_single.perf" >/dev/null 2>&1 || true ) &
    local prof=$!
    load_run mlp_single_profiled mlp mlp1.json ""
    wait "$prof" || true
    jcmd "$PID" Compiler.perfmap >/dev/null
    perf report -i "$OUT/mlp_single.perf" --children --sort sym --stdio -g none > "$OUT/perf-children.txt" 2>/dev/null || true
    perf report -i "$OUT/mlp_single.perf" --no-children --sort sym --stdio -g none > "$OUT/perf-self.txt" 2>/dev/null || true
  else
    jcmd "$PID" JFR.start name=serving settings=profile filename="$OUT/mlp_single.jfr" >/dev/null
    load_run mlp_single_profiled mlp mlp1.json ""
    jcmd "$PID" JFR.stop name=serving >/dev/null
  fi
}
warm() { BODY="$OUT/$2" KEY=$KEY wrk -t2 -c64 -d15s -s "$OUT/post.lua" "$BASE/models/$1/predict" >/dev/null; }

echo "== machine before: $(cat /proc/loadavg); other JVMs: $(pgrep -c java || true)" | tee "$OUT/env.txt"
ps -eo pid,pcpu,rss,etime,comm --sort=-pcpu | head -12 >> "$OUT/env.txt"
start_service ""
train_models
warm mlp mlp1.json; warm softmax softmax1.json
for R in $(seq 1 "$ROUNDS"); do
  load_run mlp_single mlp mlp1.json ""
  load_run mlp_batch64 mlp mlp64.json ""
  load_run softmax_single softmax softmax1.json ""
  if [ "$R" = 1 ]; then profile_run; fi
  # while a training job runs (a 5-epoch MLP on 60k images)
  J=$(echo "${MLP_SPEC/EPOCHS/5}" | sed 's/"modelId": "mlp"/"modelId": "mlp-training"/' | api -H 'Content-Type: application/json' -d @- "$BASE/jobs" | json '["id"]')
  for _ in $(seq 1 100); do [ "$(api "$BASE/jobs/$J" | json '["status"]')" = RUNNING ] && break; sleep 0.2; done
  load_run mlp_single_while_training mlp mlp1.json ""
  load_run softmax_single_while_training softmax softmax1.json ""
  api -X POST "$BASE/jobs/$J/cancel" >/dev/null || true
  await_job_end() { for _ in $(seq 1 600); do S=$(api "$BASE/jobs/$J" | json '["status"]'); case "$S" in SUCCEEDED|FAILED|CANCELLED) return;; esac; sleep 0.5; done; }
  await_job_end
done
# the same server after 100 more training jobs (the notes' softmax, 20 epochs each, one model id)
FILLER=$(sed "s/DATASET_ID/$SDS/; s/\"modelId\": \"softmax\"/\"modelId\": \"filler\"/; s/\"epochs\": 2000/\"epochs\": 20/" examples/softmax-job.json)
for _ in $(seq 1 100); do J=$(echo "$FILLER" | api -H 'Content-Type: application/json' -d @- "$BASE/jobs" | json '["id"]'); done
await_job "$J"
for _ in $(seq 1 600); do [ "$(api "$BASE/jobs?status=QUEUED" | json '.__len__()' 2>/dev/null || echo 0)" = 0 ] && break; sleep 0.5; done
warm mlp mlp1.json
for R in $(seq 1 "$ROUNDS"); do load_run mlp_single_after_100_jobs mlp mlp1.json ""; done
KEEP_DATA=1 stop_service
# dynamic batching on (the same data directory and models, restarted)
start_service "--trainserve.serving.batching.enabled=true --trainserve.serving.batching.max-delay=1ms"
warm mlp mlp1.json
for R in $(seq 1 "$ROUNDS"); do load_run mlp_single_batching mlp mlp1.json ""; done
echo "== machine after: $(cat /proc/loadavg)" >> "$OUT/env.txt"
stop_service
trap - EXIT
[ -f "$OUT/mlp_single.jfr" ] && { jfr print --events jdk.ExecutionSample "$OUT/mlp_single.jfr" > "$OUT/samples.txt" 2>/dev/null || true; }
python3 bench/serving/report.py "$OUT" > bench/SERVING.md
echo "wrote bench/SERVING.md (raw runs in $OUT)"
