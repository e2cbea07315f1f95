#!/usr/bin/env bash
# Peak memory and time of kpi-report on the hostile inputs of issue 14 (release build):
#   KPI_MEASURE_DIR=/tmp/kpi-hostile cargo test --test integration write_reliability_measurement_inputs
#   cargo build --release && scripts/measure-hostile.sh [BINARY] [DIR]
# Each run is capped at 60 s and 6 GiB of address space (prlimit), so a binary without the
# guards fails there instead of taking the machine down; the table says so.
set -uo pipefail

BIN="$(realpath "${1:-target/release/kpi-report}")"
DIR="$(realpath "${2:-/tmp/kpi-hostile}")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
mkfifo pipe.xlsx
cp "$DIR/shared-string-outputs.xlsx" outputs.xlsx

measure() {
    local label="$1"
    shift
    rm -rf out
    /usr/bin/time -v -o time.txt timeout 60 prlimit --as=$((6 * 1024 * 1024 * 1024)) \
        "$BIN" "$@" >stdout.txt 2>stderr.txt
    local code=$?
    local rss elapsed
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' time.txt)
    elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' time.txt)
    local cpu
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f s", s}' time.txt)
    local printed
    printed=$(($(wc -c <stdout.txt) + $(wc -c <stderr.txt)))
    local outputs=0
    [ -d out ] && outputs=$(find out -type f -exec cat {} + | wc -c)
    printf '| %-28s | %8s MiB | %9s | %9s | %4s | %12s | %12s |\n' \
        "$label" "$rss" "$elapsed" "$cpu" "$code" "$printed" "$outputs"
}

echo "binary: $BIN"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '| %-28s | %12s | %9s | %9s | %4s | %12s | %12s |\n' input "max RSS" "wall time" "CPU time" exit "bytes printed" "bytes written"
echo "|---|---|---|---|---|---|---|"
measure "shared string x 60,000 E04" check "$DIR/shared-string-e04.xlsx" --as-of 2026-10-31
measure "shared string in header rows" check "$DIR/shared-string-header.xlsx" --as-of 2026-10-31
measure "shared string as name/owner" run outputs.xlsx --out out --json --keep-going --as-of 2026-10-31
measure "styles.xml 5M cell formats" check "$DIR/styles-5m.xlsx" --as-of 2026-10-31
measure "1.6M merged areas" check "$DIR/merged-1.6m.xlsx" --as-of 2026-10-31
measure "/dev/zero as input" run /dev/zero --out out --as-of 2026-10-31
measure "/dev/zero as --config" check "$DIR/styles-5m.xlsx" --config /dev/zero --as-of 2026-10-31
measure "FIFO as input" run pipe.xlsx --out out --as-of 2026-10-31
