# Sourced by bench/run.sh and bench/jmh.sh: the best OpenBLAS kernels this CPU has, never an
# instruction set it lacks. Sets CPU, AVX2, AVX512F (true/false) and CORETYPE (SKYLAKEX with
# avx512f, Haswell with avx2, else empty = leave OpenBLAS to detect). BENCH_OPENBLAS_CORETYPE
# overrides, but an AVX-512 or AVX2 core type is refused on a CPU without it.
detect_coretype() {
  local flags
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2- || true) "
  AVX2=false AVX512F=false
  [[ $flags == *" avx2 "* ]] && AVX2=true
  [[ $flags == *" avx512f "* ]] && AVX512F=true
  CPU=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
  # "AMD EPYC" alone names neither the generation nor the cache: hosts of one name ran 2.5x apart
  local family model cache
  family=$(grep -m1 '^cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ' || true)
  model=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ' || true)
  cache=$(grep -m1 '^cache size' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || true)
  [[ -n $family ]] && CPU+=", family $family model $model${cache:+, /proc/cpuinfo cache size $cache}"
  CPU=${CPU:-unknown}
  if [[ -n ${BENCH_OPENBLAS_CORETYPE:-} ]]; then
    CORETYPE=$BENCH_OPENBLAS_CORETYPE
    case ${CORETYPE^^} in
      SKYLAKEX|COOPERLAKE|SAPPHIRERAPIDS)
        $AVX512F || { echo "error: BENCH_OPENBLAS_CORETYPE=$CORETYPE needs AVX-512 (avx512f), which this CPU lacks" >&2; return 1; } ;;
      HASWELL|ZEN)
        $AVX2 || { echo "error: BENCH_OPENBLAS_CORETYPE=$CORETYPE needs AVX2, which this CPU lacks" >&2; return 1; } ;;
    esac
  elif $AVX512F; then CORETYPE=SKYLAKEX
  elif $AVX2; then CORETYPE=Haswell
  else CORETYPE=""
  fi
}
