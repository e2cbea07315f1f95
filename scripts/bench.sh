#!/usr/bin/env bash
# Benchmarks of SPEC section 8 / issue 9. Not a test: prints figures to compare.
#   scripts/bench.sh [RUNS]            (default 5 runs each, medians reported)
# 1. `kpi-report run` (workbook + HTML + JSON) on 20,000 KPIs x 24 months against the I/O
#    floor (read the same input with calamine, write as many cells with rust_xlsxwriter);
#    peak memory of both.
# 2. Linearity: the same at 40,000 KPIs.
# 3. Batch: 200 small inputs on all cores against one (RAYON_NUM_THREADS=1).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
WORK=${BENCH_DIR:-target/bench}
mkdir -p "$WORK"
cargo build --release --quiet --bin kpi-report --example gen_large --example io_floor
BIN=${CARGO_TARGET_DIR:-target}/release
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 2; }

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'; }

# time_cmd OUTFILE CMD...: appends "seconds max_rss_kb" for one run
time_cmd() {
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/.time" "$@" >/dev/null 2>"$WORK/.stderr" || {
    local code=$?; [ "$code" -le 1 ] || { cat "$WORK/.stderr"; exit "$code"; }; }
  cat "$WORK/.time" >> "$out"
}

measure() { # name input -> prints medians
  local input=$1 tag=$2
  : > "$WORK/floor-$tag.txt"; : > "$WORK/run-$tag.txt"
  for _ in $(seq "$RUNS"); do
    time_cmd "$WORK/floor-$tag.txt" "$BIN/examples/io_floor" "$input" "$WORK/floor-out.xlsx"
    rm -rf "$WORK/out-$tag"
    time_cmd "$WORK/run-$tag.txt" "$BIN/kpi-report" run "$input" --as-of 2026-10-31 --json --quiet --out "$WORK/out-$tag"
  done
  FLOOR_T=$(cut -d' ' -f1 "$WORK/floor-$tag.txt" | median)
  RUN_T=$(cut -d' ' -f1 "$WORK/run-$tag.txt" | median)
  FLOOR_M=$(cut -d' ' -f2 "$WORK/floor-$tag.txt" | sort -g | tail -1)
  RUN_M=$(cut -d' ' -f2 "$WORK/run-$tag.txt" | sort -g | tail -1)
  echo "$tag: floor ${FLOOR_T}s ${FLOOR_M}KB | run ${RUN_T}s ${RUN_M}KB | time ratio $(echo "$RUN_T / $FLOOR_T" | bc -l | cut -c1-5) | memory ratio $(echo "$RUN_M / $FLOOR_M" | bc -l | cut -c1-5)"
}

[ -f "$WORK/large-20000.xlsx" ] || "$BIN/examples/gen_large" "$WORK/large-20000.xlsx" 20000 1000 24 2>/dev/null
[ -f "$WORK/large-40000.xlsx" ] || "$BIN/examples/gen_large" "$WORK/large-40000.xlsx" 40000 2000 24 2>/dev/null

echo "== 20,000 KPIs x 24 months ($RUNS runs, medians)"
measure "$WORK/large-20000.xlsx" 20k
T20=$RUN_T
echo "== 40,000 KPIs x 24 months"
measure "$WORK/large-40000.xlsx" 40k
T40=$RUN_T
echo "linearity: 2x the KPIs takes $(echo "$T40 / $T20" | bc -l | cut -c1-5)x the time (target <= 2.2)"

echo "== batch: 200 small inputs"
if [ ! -d "$WORK/batch" ]; then
  mkdir -p "$WORK/batch"
  "$BIN/examples/gen_large" "$WORK/batch/in-000.xlsx" 100 5 24 2>/dev/null
  for i in $(seq -w 1 199); do cp "$WORK/batch/in-000.xlsx" "$WORK/batch/in-$i.xlsx"; done
fi
: > "$WORK/batch-1.txt"; : > "$WORK/batch-n.txt"
for _ in $(seq "$RUNS"); do
  rm -rf "$WORK/batch-out"; RAYON_NUM_THREADS=1 time_cmd "$WORK/batch-1.txt" "$BIN/kpi-report" run "$WORK/batch" --as-of 2026-10-31 --quiet --out "$WORK/batch-out"
  rm -rf "$WORK/batch-out"; time_cmd "$WORK/batch-n.txt" "$BIN/kpi-report" run "$WORK/batch" --as-of 2026-10-31 --quiet --out "$WORK/batch-out"
done
ONE=$(cut -d' ' -f1 "$WORK/batch-1.txt" | median)
ALL=$(cut -d' ' -f1 "$WORK/batch-n.txt" | median)
echo "batch: 1 thread ${ONE}s, $(nproc) cores ${ALL}s, speed-up $(echo "$ONE / $ALL" | bc -l | cut -c1-5)x (target >= 1.7 on 2 cores)"
