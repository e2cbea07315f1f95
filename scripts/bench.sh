#!/usr/bin/env bash
# Benchmarks of SPEC section 8 / issue 9. Not a test: prints figures to compare.
#   scripts/bench.sh [RUNS]            (default 5 rounds, medians reported)
#
# 1. `kpi-report run` (workbook + HTML + JSON) on 20,000 KPIs x 24 months against the I/O
#    floor (examples/io_floor.rs: read the same input with calamine, write as many cells
#    with rust_xlsxwriter's defaults); peak memory of both. For reference, the floor is
#    also timed at the zip level of a large report (1), to show how much of it is compression.
#    A third floor reads the input and writes as many cells as the run's report holds (the
#    input's cells again and again, bare values, rust_xlsxwriter's defaults): what an output
#    of the report's size costs to write at all (BENCH_REPORT_FLOOR=0 skips it).
# 1b. The 予実 variant: the same 20,000 KPIs with a Plan sheet of the same size as the
#    Actuals sheet and half the leaf metrics `sum` (gen_large ... plan), against its floor.
# 2. Linearity: the same at 40,000 KPIs, then runs of 20,000 and 40,000 KPIs side by side;
#    2x the KPIs should take at most 2.2x the time.
# 3. Batch: 200 small inputs on all cores against one (RAYON_NUM_THREADS=1; and, for
#    reference, also pinned to one CPU with taskset, since rust_xlsxwriter starts threads
#    of its own while saving).
# 4. Sources: a 1,000,000-line CP932 journal export (examples/gen_journal.rs) joined to the
#    20,000-KPI workbook with --actuals (config default_aggregation = "sum": journal lines
#    are amounts), against the floors of examples/csv_floor.rs: reading
#    and decoding the file alone, and that plus parsing it with the csv crate and summing it
#    by key and month. SPEC 8 asks for the export "joined to" the workbook within 2x that
#    floor: the join is the run with the export less the run without it, pair by pair (the
#    20,000-KPI run itself has the bar of part 1). Also the export read for a one-KPI
#    workbook (`check`), and the whole run against the CSV floor for reference.
#    BENCH_ONLY=sources runs this part alone.
#
# The machine is often shared: runs alternate (floor, run, floor, run...) and every ratio
# is the median of the ratios of the pairs run side by side, which drift cancels out of.
# BENCH_WAIT_IDLE=1 waits (up to 60 s) before each timed command until the CPUs are at
# least 90 % idle. KPI_REPORT=path times another build of kpi-report (an older commit)
# against the same floor; KPI_REPORT_BASE=path (with BENCH_ONLY_BASE=1 nothing else) times
# this build against that one on the 20,000-KPI input, runs side by side. BENCH_ONLY=20k
# stops after the two 20,000-KPI inputs. Needs GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
WORK=${BENCH_DIR:-target/bench}
mkdir -p "$WORK"
cargo build --release --quiet --bin kpi-report --example gen_large --example io_floor \
  --example gen_journal --example csv_floor
BIN=${CARGO_TARGET_DIR:-target}/release
KPI=${KPI_REPORT:-$BIN/kpi-report}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 2; }

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
# division with three decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }

# CPU busy/total jiffies from /proc/stat
jiffies() { awk '/^cpu / {busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }
wait_idle() {
  [ "${BENCH_WAIT_IDLE:-0}" = 1 ] || return 0
  for _ in $(seq 120); do
    read -r b1 t1 < <(jiffies); sleep 0.5; read -r b2 t2 < <(jiffies)
    if [ $(( 100 * (b2 - b1) )) -le $(( 10 * (t2 - t1) )) ]; then return 0; fi
  done
  echo "(the CPUs stayed busy for 60 s; timing anyway)" >&2
}

# time_cmd OUTFILE CMD...: appends "wall_seconds max_rss_kb cpu_seconds" for one run
time_cmd() {
  local out=$1; shift
  wait_idle
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/.time" "$@" >/dev/null 2>"$WORK/.stderr" || {
    local code=$?; [ "$code" -le 1 ] || { cat "$WORK/.stderr"; exit "$code"; }; }
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$WORK/.time" >> "$out"
}

# column N of a results file, median
col() { cut -d' ' -f"$2" "$1" | median; }
# median of the ratios line by line: file A column 1 over file B column 1
pair_ratio() { paste -d' ' <(cut -d' ' -f1 "$1") <(cut -d' ' -f1 "$2") | awk '{print $1 / $2}' | median; }

measure() { # input tag -> prints medians and ratios; sets RUN_FILE
  local input=$1 tag=$2
  local floor="$WORK/floor-$tag.txt" floor2="$WORK/floor2-$tag.txt" run="$WORK/run-$tag.txt"
  local floor3="$WORK/floor3-$tag.txt"
  : > "$floor"; : > "$floor2"; : > "$run"; : > "$floor3"
  # One run first (untimed): the number of cells of its report sizes the third floor.
  rm -rf "$WORK/out-$tag"
  "$KPI" run "$input" --as-of 2026-10-31 --json --quiet --out "$WORK/out-$tag" || true
  local report_cells
  report_cells=$("$BIN/examples/io_floor" count "$WORK/out-$tag"/*-report.xlsx)
  for _ in $(seq "$RUNS"); do
    time_cmd "$floor" "$BIN/examples/io_floor" "$input" "$WORK/floor-out.xlsx"
    rm -rf "$WORK/out-$tag"
    time_cmd "$run" "$KPI" run "$input" --as-of 2026-10-31 --json --quiet --out "$WORK/out-$tag"
    time_cmd "$floor2" "$BIN/examples/io_floor" "$input" "$WORK/floor-out.xlsx" 1
    if [ "${BENCH_REPORT_FLOOR:-1}" = 1 ]; then
      time_cmd "$floor3" "$BIN/examples/io_floor" "$input" "$WORK/floor-out.xlsx" - "$report_cells"
    fi
  done
  local floor_m run_m
  floor_m=$(cut -d' ' -f2 "$floor" | sort -g | tail -1)
  run_m=$(cut -d' ' -f2 "$run" | sort -g | tail -1)
  echo "$tag floor (zip level 6, the default): $(col "$floor" 1) s wall, $(col "$floor" 3) s CPU, peak ${floor_m} KB"
  echo "$tag run (workbook + HTML + JSON):     $(col "$run" 1) s wall, $(col "$run" 3) s CPU, peak ${run_m} KB"
  echo "$tag time ratio run/floor: $(pair_ratio "$run" "$floor") (target <= 1.5); memory ratio: $(ratio "$run_m" "$floor_m") (target <= 2)"
  echo "$tag   for reference, floor at the large report zip level 1: $(col "$floor2" 1) s, run/that: $(pair_ratio "$run" "$floor2")"
  if [ -s "$floor3" ]; then
    echo "$tag   for reference, the input read and an output of the report's $report_cells cells (bare values, zip level 6): $(col "$floor3" 1) s, run/that: $(pair_ratio "$run" "$floor3")"
  fi
  RUN_FILE=$run
}

[ -f "$WORK/large-20000.xlsx" ] || "$BIN/examples/gen_large" "$WORK/large-20000.xlsx" 20000 1000 24 2>/dev/null
[ -f "$WORK/large-20000-plan.xlsx" ] || "$BIN/examples/gen_large" "$WORK/large-20000-plan.xlsx" 20000 1000 24 plan 2>/dev/null

sources_bench() {
  local journal="$WORK/journal-1m.csv" small="$WORK/one-kpi.xlsx" config="$WORK/sum.toml"
  # Journal lines are amounts: the metrics they feed add up over time (SPEC 9, `sum`). As
  # `last` (the default) every month with several lines would be W12, 250,000 findings.
  printf 'default_aggregation = "sum"\n' > "$config"
  [ -f "$journal" ] || "$BIN/examples/gen_journal" "$journal" 1000000 1000
  [ -f "$small" ] || "$BIN/examples/gen_large" "$small" 1 1 1 2>/dev/null
  local decode="$WORK/src-decode.txt" floor="$WORK/src-floor.txt" run="$WORK/src-run.txt"
  local alone="$WORK/src-alone.txt" read="$WORK/src-read.txt"
  : > "$decode"; : > "$floor"; : > "$run"; : > "$alone"; : > "$read"
  for _ in $(seq "$RUNS"); do
    time_cmd "$decode" "$BIN/examples/csv_floor" "$journal" decode
    time_cmd "$floor" "$BIN/examples/csv_floor" "$journal" sum
    rm -rf "$WORK/out-src"
    time_cmd "$run" "$KPI" run "$WORK/large-20000.xlsx" --config "$config" --actuals "$journal" --as-of 2026-10-31 --json --quiet --out "$WORK/out-src"
    rm -rf "$WORK/out-src"
    time_cmd "$alone" "$KPI" run "$WORK/large-20000.xlsx" --config "$config" --as-of 2026-10-31 --json --quiet --out "$WORK/out-src"
    time_cmd "$read" "$KPI" check "$small" --config "$config" --actuals "$journal" --as-of 2026-10-31 --quiet
  done
  # the run with the export less the run without it, pair by pair
  local added="$WORK/src-added.txt"
  paste -d' ' <(cut -d' ' -f1 "$run") <(cut -d' ' -f1 "$alone") | awk '{print $1 - $2}' > "$added"
  local peak_run peak_alone peak_floor
  peak_run=$(cut -d' ' -f2 "$run" | sort -g | tail -1)
  peak_alone=$(cut -d' ' -f2 "$alone" | sort -g | tail -1)
  peak_floor=$(cut -d' ' -f2 "$floor" | sort -g | tail -1)
  echo "floor, read + decode CP932 only:        $(col "$decode" 1) s"
  echo "floor, + csv crate parse + sum by key/month: $(col "$floor" 1) s, peak ${peak_floor} KB"
  echo "run 20,000 KPIs + 1,000,000 lines:      $(col "$run" 1) s, peak ${peak_run} KB"
  echo "run 20,000 KPIs without the export:     $(col "$alone" 1) s, peak ${peak_alone} KB"
  echo "check of a 1-KPI workbook + the export: $(col "$read" 1) s (the export read and summed)"
  echo "the join, (run+export - run alone) / floor (SPEC 8, target <= 2): $(paste -d' ' "$added" <(cut -d' ' -f1 "$floor") | awk '{print $1 / $2}' | median)"
  echo "for reference, the whole run with the export / floor: $(pair_ratio "$run" "$floor")"
  echo "ratio export read (check) / floor: $(pair_ratio "$read" "$floor"); / decode alone: $(pair_ratio "$read" "$decode")"
}

if [ "${BENCH_ONLY:-}" = sources ]; then
  echo "== sources: 1,000,000 CP932 journal lines ($RUNS rounds, medians of paired runs)"
  sources_bench
  exit 0
fi

[ -f "$WORK/large-40000.xlsx" ] || "$BIN/examples/gen_large" "$WORK/large-40000.xlsx" 40000 2000 24 2>/dev/null

if [ -n "${KPI_REPORT_BASE:-}" ]; then
  # This build against another (an older commit), runs side by side on the same input.
  NEW="$WORK/base-new.txt" OLD="$WORK/base-old.txt"
  : > "$NEW"; : > "$OLD"
  for _ in $(seq "$RUNS"); do
    rm -rf "$WORK/out-base"
    time_cmd "$OLD" "$KPI_REPORT_BASE" run "$WORK/large-20000.xlsx" --as-of 2026-10-31 --json --quiet --out "$WORK/out-base"
    rm -rf "$WORK/out-base"
    time_cmd "$NEW" "$KPI" run "$WORK/large-20000.xlsx" --as-of 2026-10-31 --json --quiet --out "$WORK/out-base"
  done
  echo "== this build against $KPI_REPORT_BASE, 20,000 KPIs x 24 months ($RUNS pairs)"
  echo "base: $(col "$OLD" 1) s wall, $(col "$OLD" 3) s CPU, peak $(cut -d' ' -f2 "$OLD" | sort -g | tail -1) KB"
  echo "this: $(col "$NEW" 1) s wall, $(col "$NEW" 3) s CPU, peak $(cut -d' ' -f2 "$NEW" | sort -g | tail -1) KB"
  echo "time ratio this/base: $(pair_ratio "$NEW" "$OLD") (median of the pairs)"
  [ "${BENCH_ONLY_BASE:-0}" = 1 ] && exit 0
fi

echo "== 20,000 KPIs x 24 months ($RUNS rounds, medians)"
measure "$WORK/large-20000.xlsx" 20k
RUN20=$RUN_FILE
echo "== 予実: 20,000 KPIs x 24 months, a Plan sheet of the same size, half the leaves sum"
measure "$WORK/large-20000-plan.xlsx" 20k-plan
[ "${BENCH_ONLY:-}" = 20k ] && exit 0
echo "== 40,000 KPIs x 24 months"
measure "$WORK/large-40000.xlsx" 40k
RUN40=$RUN_FILE
# The two sizes side by side (20k, 40k, 20k, 40k...), so drift cancels out of each pair.
LIN20="$WORK/lin-20k.txt" LIN40="$WORK/lin-40k.txt"
: > "$LIN20"; : > "$LIN40"
for _ in $(seq "$RUNS"); do
  rm -rf "$WORK/out-lin"
  time_cmd "$LIN20" "$KPI" run "$WORK/large-20000.xlsx" --as-of 2026-10-31 --json --quiet --out "$WORK/out-lin"
  rm -rf "$WORK/out-lin"
  time_cmd "$LIN40" "$KPI" run "$WORK/large-40000.xlsx" --as-of 2026-10-31 --json --quiet --out "$WORK/out-lin"
done
echo "linearity: 2x the KPIs takes $(pair_ratio "$LIN40" "$LIN20")x the time (target <= 2.2; runs side by side; the medians of the runs above give $(ratio "$(col "$RUN40" 1)" "$(col "$RUN20" 1)")x, CPU time $(ratio "$(col "$LIN40" 3)" "$(col "$LIN20" 3)")x)"

echo "== batch: 200 small inputs"
if [ ! -d "$WORK/batch" ]; then
  mkdir -p "$WORK/batch"
  "$BIN/examples/gen_large" "$WORK/batch/in-000.xlsx" 100 5 24 2>/dev/null
  for i in $(seq -w 1 199); do cp "$WORK/batch/in-000.xlsx" "$WORK/batch/in-$i.xlsx"; done
fi
: > "$WORK/batch-1.txt"; : > "$WORK/batch-n.txt"; : > "$WORK/batch-cpu0.txt"
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
for _ in $(seq "$RUNS"); do
  rm -rf "$WORK/batch-out"; time_cmd "$WORK/batch-1.txt" env RAYON_NUM_THREADS=1 "$KPI" run "$WORK/batch" --as-of 2026-10-31 --quiet --out "$WORK/batch-out"
  rm -rf "$WORK/batch-out"; time_cmd "$WORK/batch-n.txt" "$KPI" run "$WORK/batch" --as-of 2026-10-31 --quiet --out "$WORK/batch-out"
  if [ -n "$PIN" ]; then
    rm -rf "$WORK/batch-out"; time_cmd "$WORK/batch-cpu0.txt" env RAYON_NUM_THREADS=1 $PIN "$KPI" run "$WORK/batch" --as-of 2026-10-31 --quiet --out "$WORK/batch-out"
  fi
done
echo "batch: RAYON_NUM_THREADS=1 $(col "$WORK/batch-1.txt" 1) s, all $(nproc) cores $(col "$WORK/batch-n.txt" 1) s, speed-up $(pair_ratio "$WORK/batch-1.txt" "$WORK/batch-n.txt")x (target >= 1.7 on 2 cores)"
if [ -n "$PIN" ]; then
  echo "batch:   for reference, pinned to one CPU (taskset -c 0): $(col "$WORK/batch-cpu0.txt" 1) s, speed-up $(pair_ratio "$WORK/batch-cpu0.txt" "$WORK/batch-n.txt")x"
fi

echo "== sources: 1,000,000 CP932 journal lines"
sources_bench
