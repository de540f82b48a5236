#!/usr/bin/env bash
# Installs what is missing and builds the registry in Release into ./build.
# Usage: tools/build.sh [extra cmake -D options]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/tools/setup.sh"

build_dir="${IKV_BUILD_DIR:-$root/build}"
jobs="${IKV_JOBS:-$(nproc)}"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIKV_WERROR=ON "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs"
