#!/usr/bin/env bash
# Sets up, builds everything (warnings are errors) and runs the whole test
# suite:
#   1. ctest over the Release build: unit, store, domain, projections, HTTP
#      end-to-end, OpenAPI contract, property-based API tests, fault tests,
#      the offline report tool and its rendering in headless Chromium;
# Environment: IKV_BUILD_DIR (default ./build), IKV_TEST_JOBS (ctest -j, 2).
# Sanitizer and fuzzing runs: tools/sanitize.sh [asan|tsan], tools/fuzz.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/tools/setup.sh" --test
"$root/tools/build.sh" -DIKV_BUILD_TESTS=ON -DIKV_BUILD_BENCH=ON
"$root/tools/install-node-tools.sh"
build_dir="${IKV_BUILD_DIR:-$root/build}"
(cd "$build_dir" && ctest --output-on-failure -j "${IKV_TEST_JOBS:-2}" --timeout 600)
echo "test: all passed"
