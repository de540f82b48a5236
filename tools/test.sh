#!/usr/bin/env bash
# Sets up, builds everything (warnings are errors) and runs the whole test
# suite:
#   1. ctest over the Release build: unit, store, domain, projections, HTTP
#      end-to-end, OpenAPI contract, property-based API tests, fault tests,
#      the offline report tool and its rendering in headless Chromium;
#   2. tools/lint/clang_tidy.py: clang-tidy with the checks of .clang-tidy
#      over the sources outside tests/ (units unchanged since they last
#      passed are skipped);
#   3. tools/sanitize.sh asan tsan: the unit and HTTP tests under
#      AddressSanitizer with UndefinedBehaviorSanitizer (clang-14, build-asan),
#      the event store's and registry's tests under ThreadSanitizer;
#   4. tools/fuzz.sh: every libFuzzer target for a bounded time (linked in
#      the same build-asan directory).
# Environment: IKV_BUILD_DIR (default ./build), IKV_TEST_JOBS (ctest and
# clang-tidy -j, 2), IKV_FUZZ_SECONDS (per fuzz target, 20),
# IKV_SKIP_TIDY=1, IKV_SKIP_SANITIZERS=1 and IKV_SKIP_FUZZ=1 to leave out
# steps 2, 3 and 4 in a quick local run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/tools/setup.sh" --test
"$root/tools/build.sh" -DIKV_BUILD_TESTS=ON -DIKV_BUILD_BENCH=ON
"$root/tools/install-node-tools.sh"
build_dir="${IKV_BUILD_DIR:-$root/build}"
(cd "$build_dir" && ctest --output-on-failure -j "${IKV_TEST_JOBS:-2}" --timeout 600)
if [[ "${IKV_SKIP_TIDY:-0}" != 1 ]]; then
  /usr/bin/python3 "$root/tools/lint/clang_tidy.py" -p "$build_dir" -j "${IKV_TEST_JOBS:-2}"
fi
if [[ "${IKV_SKIP_SANITIZERS:-0}" != 1 ]]; then
  "$root/tools/sanitize.sh" asan tsan
fi
if [[ "${IKV_SKIP_FUZZ:-0}" != 1 ]]; then
  "$root/tools/fuzz.sh" "${IKV_FUZZ_SECONDS:-20}"
fi
echo "test: all passed"
