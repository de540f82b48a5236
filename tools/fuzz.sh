#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang-14, ASan + UBSan, coverage
# feedback) and runs each for a bounded time over a copy of its seed corpus.
#
# Usage: tools/fuzz.sh [seconds-per-target]      (default 60)
# Environment:
#   IKV_ASAN_BUILD_DIR  build directory (default ./build-asan, shared with
#                       tools/sanitize.sh asan)
#   IKV_FUZZ_TARGETS    the targets to run (default: all of them)
#   IKV_FUZZ_RSS_MB     memory limit per target in MB (default 2048)
#   IKV_JOBS            build jobs (default 2)
#
# Fails (non-zero) on a build error, or when a target crashes, leaks, times
# out on one input (10 s), runs out of memory, or prints a sanitizer report.
# The input that failed is left in <build>/fuzz-run/<target>/ (crash-*,
# leak-*, timeout-*, oom-*); replay it with `<build>/tests/fuzz/<target> <file>`.
# New inputs found by a run stay in <build>/fuzz-run/<target>/corpus; the
# seeds in tests/fuzz/corpus are never modified.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: tools/fuzz.sh [seconds-per-target]" >&2
  exit 2
fi
build_dir="${IKV_ASAN_BUILD_DIR:-$root/build-asan}"
jobs="${IKV_JOBS:-2}"
rss_mb="${IKV_FUZZ_RSS_MB:-2048}"
read -r -a targets <<< "${IKV_FUZZ_TARGETS:-fuzz_http_request fuzz_event_decode fuzz_json_fields}"

echo "== fuzz: configure and build in $build_dir"
"$root/tools/sanitizers/configure.sh" "$build_dir" asan
t0=$SECONDS
nice -n 10 cmake --build "$build_dir" -j "$jobs" --target "${targets[@]}"
echo "== fuzz: built in $((SECONDS - t0)) s"

# Every sanitizer report ends the process with an error; leaks are checked
# after each input (-detect_leaks=1) and at exit.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

failed=()
summary=()
for target in "${targets[@]}"; do
  exe="$build_dir/tests/fuzz/$target"
  seeds="$root/tests/fuzz/corpus/$target"
  dict="$root/tests/fuzz/dict/$target.dict"
  work="$build_dir/fuzz-run/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus"
  [ -d "$seeds" ] && cp -R "$seeds/." "$work/corpus/"
  dict_arg=()
  [ -f "$dict" ] && dict_arg=("-dict=$dict")
  log="$work/fuzz.log"
  echo "== fuzz: $target for ${seconds} s ($(find "$work/corpus" -type f | wc -l) seeds)"
  status=0
  # -entropic=0: every library of the build directory carries coverage
  # counters, so one input of fuzz_http_request (a registry seeded over the
  # API) hits tens of thousands of features, and the entropic schedule's
  # per-feature bookkeeping then takes most of the time (about 4 inputs/s
  # with it, 20 without).
  nice -n 10 "$exe" "$work/corpus" "${dict_arg[@]}" -entropic=0 \
    -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -timeout=10 -detect_leaks=1 \
    -print_final_stats=1 -artifact_prefix="$work/" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ] ||
     grep -qE "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer" "$log"; then
    failed+=("$target")
    echo "!! $target FAILED (exit $status); last lines of $log:"
    tail -n 60 "$log"
    ls "$work" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | sed "s|^|   input: $work/|" || true
  fi
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)"
  rss="$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n1)"
  cov="$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+' "$log" | tail -n1)"
  summary+=("$(printf '%-18s %s execs, %s exec/s, %s, peak %s MB' \
    "$target" "${execs:-?}" "${rate:-?}" "${cov:-no coverage line}" "${rss:-?}")")
done

echo "== fuzz summary (${seconds} s per target)"
printf '   %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "== fuzz: FAILED: ${failed[*]}"
  exit 1
fi
echo "== fuzz: no crash, leak, timeout or sanitizer report"
