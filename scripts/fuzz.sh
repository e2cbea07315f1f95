#!/usr/bin/env bash
# Fuzz the input layer for a bounded time: scripts/fuzz.sh [SECONDS]  (default 60 per target)
#
# Targets (fuzz/): cell_value (the cell-value parser) and workbook (a whole workbook from
# bytes: read, analysed, rendered as JSON). Seeds are in fuzz/corpus/<target>/seed-*.
#
# Engines, chosen with FUZZ_ENGINE:
#   libfuzzer  cargo-fuzz with libFuzzer, AddressSanitizer and debug assertions (so integer
#              overflow panics). cargo-fuzz wants nightly; on a stable toolchain it runs with
#              RUSTC_BOOTSTRAP=1, which this script sets.
#   stable     fuzz/src/bin/stable_fuzz.rs: mutation fuzzing without coverage feedback,
#              for machines where cargo-fuzz is missing or cannot build.
#   auto       (default) libfuzzer when `cargo fuzz` is installed and builds, else stable.
#   both       libfuzzer, then stable.
#
# Crashes, hangs and out-of-memory inputs are saved under fuzz/artifacts/<target>/; the
# script exits non-zero when any target found one. Keep the fixed ones as regression tests
# in tests/integration/robustness.rs (inputs in tests/fixtures/fuzz-*).
set -euo pipefail

SECONDS_PER_TARGET="${1:-60}"
ENGINE="${FUZZ_ENGINE:-auto}"
TARGETS=(cell_value workbook)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FUZZ="$ROOT/fuzz"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
failed=0

have_cargo_fuzz() {
    cargo fuzz --version >/dev/null 2>&1
}

run_libfuzzer() {
    echo "== building the libFuzzer targets (cargo fuzz build -O)"
    if ! (cd "$FUZZ" && RUSTC_BOOTSTRAP=1 cargo fuzz build -O --debug-assertions); then
        echo "cargo fuzz build failed"
        return 2
    fi
    for target in "${TARGETS[@]}"; do
        echo "== libFuzzer: $target for ${SECONDS_PER_TARGET}s"
        mkdir -p "$FUZZ/corpus/$target" "$FUZZ/artifacts/$target"
        local max_len=4096
        [ "$target" = workbook ] && max_len=262144
        # -timeout: one input running longer is a hang; -rss/-malloc limits: memory blow-ups
        # are failures, not machine-wide trouble.
        if ! (cd "$FUZZ" && RUSTC_BOOTSTRAP=1 timeout $((SECONDS_PER_TARGET + 120)) \
            cargo fuzz run -O --debug-assertions "$target" "corpus/$target" -- \
            -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=2560 \
            -malloc_limit_mb=2560 -max_len="$max_len" -print_final_stats=1 \
            -artifact_prefix="artifacts/$target/" 2>&1 | tail -n 25); then
            echo "!! libFuzzer found a failure in $target: see fuzz/artifacts/$target/"
            failed=1
        fi
    done
}

run_stable() {
    echo "== building the stable runner (fuzz/src/bin/stable_fuzz.rs)"
    cargo build --release --manifest-path "$FUZZ/Cargo.toml" --no-default-features \
        --bin stable_fuzz
    local runner="$CARGO_TARGET_DIR/release/stable_fuzz"
    for target in "${TARGETS[@]}"; do
        echo "== stable runner: $target for ${SECONDS_PER_TARGET}s"
        mkdir -p "$FUZZ/corpus/$target" "$FUZZ/artifacts/$target"
        local status=0
        # A virtual-memory cap turns a runaway allocation into a failed run we can report.
        (ulimit -v 6000000; "$runner" "$target" "$SECONDS_PER_TARGET" \
            "$FUZZ/corpus/$target" "$FUZZ/artifacts/$target") || status=$?
        if [ "$status" -ne 0 ]; then
            failed=1
            if [ -f "$FUZZ/artifacts/$target/current-input" ]; then
                echo "!! the runner died (status $status) on fuzz/artifacts/$target/current-input"
            else
                echo "!! $target: crashes or slow inputs saved in fuzz/artifacts/$target/"
            fi
        fi
    done
}

case "$ENGINE" in
    libfuzzer) run_libfuzzer || failed=1 ;;
    stable) run_stable ;;
    both)
        run_libfuzzer || failed=1
        run_stable
        ;;
    auto)
        if have_cargo_fuzz; then
            status=0
            run_libfuzzer || status=$?
            if [ "$status" -eq 2 ]; then
                echo "== falling back to the stable runner"
                run_stable
            elif [ "$status" -ne 0 ]; then
                failed=1
            fi
        else
            echo "== cargo-fuzz is not installed (cargo install cargo-fuzz); using the stable runner"
            run_stable
        fi
        ;;
    *)
        echo "FUZZ_ENGINE must be auto, libfuzzer, stable or both" >&2
        exit 2
        ;;
esac

if [ "$failed" -ne 0 ]; then
    echo "fuzzing found failures"
    exit 1
fi
echo "fuzzing ran clean"
