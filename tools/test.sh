#!/usr/bin/env bash
# Sets up, builds everything (warnings are errors) and runs the whole test
# suite through ctest: unit, store, domain, projections, HTTP end-to-end and
# the OpenAPI checks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/tools/build.sh" -DIKV_BUILD_TESTS=ON -DIKV_BUILD_BENCH=ON
"$root/tools/install-node-tools.sh"
build_dir="${IKV_BUILD_DIR:-$root/build}"
cd "$build_dir"
ctest --output-on-failure -j "${IKV_TEST_JOBS:-2}" --timeout 600
