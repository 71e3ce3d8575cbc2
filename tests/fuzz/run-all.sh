#!/usr/bin/env bash
# Every fuzz target of Préau's readers of outside input, SECONDS each (default 60):
#   tests/fuzz/run-all.sh          # CI's smoke run, about 7 minutes once built
#   tests/fuzz/run-all.sh 3600     # an hour each
#   tests/fuzz/run-all.sh 600 images backup   # some targets only
# Builds once for all targets, then runs each from its committed seeds (corpus/<target>,
# read only) and its growing working corpus (target/corpus/<target>, not committed).
# A crash is saved under artifacts/<target>/ and the script goes on with the next
# target; it fails at the end if any target crashed. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`).
set -uo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=(onde ics richtext multipart backup images)
fi

# The same options for the build and every run, so that the runs reuse the build (the
# default: optimised, with debug assertions and overflow checks, address sanitizer).
build=(--fuzz-dir .)
cargo +nightly fuzz build "${build[@]}" || exit 1

failed=()
summary=()
for t in "${targets[@]}"; do
    mkdir -p "target/corpus/$t" "artifacts/$t"
    log="target/fuzz-$t.log"
    echo "== fuzz $t (${seconds} s)"
    # -timeout: one input taking more than 60 s is a hang; -rss_limit_mb: libFuzzer's
    # default, said here because the image target must stay within it.
    cargo +nightly fuzz run "${build[@]}" "$t" "target/corpus/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 \
        -print_final_stats=1 2>&1 | tee "$log" |
        grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|Done |==[0-9]+==|.*panicked|SUMMARY|artifact_prefix|Test unit written)'
    # The fuzzer's own status (with pipefail, the pipeline's would be grep's as well).
    status=${PIPESTATUS[0]}
    runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    if [ "$status" -ne 0 ]; then
        failed+=("$t")
        summary+=("$t: CRASH after ${runs} runs (see $log and artifacts/$t/)")
    else
        summary+=("$t: ${runs} runs, no crash")
    fi
done

echo "== fuzz summary (${seconds} s each)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz targets that crashed: ${failed[*]}" >&2
    exit 1
fi
