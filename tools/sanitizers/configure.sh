#!/usr/bin/env bash
# Configures an instrumented build directory (used by tools/sanitize.sh and
# tools/fuzz.sh, which share the ASan one):
#
#   tools/sanitizers/configure.sh <build-dir> asan   clang-14, ASan + UBSan,
#       tests and the libFuzzer targets (IKV_FUZZ=ON) in one directory
#   tools/sanitizers/configure.sh <build-dir> tsan   g++, ThreadSanitizer, tests
#
# Line tables give file:line in reports; assertions stay on; warnings are
# checked by the ordinary build. The ASan build is compiled at -O0: it is the
# longest build of the test command, and -O0 compiles it about a third faster
# than -O1 while the suites and the fuzzers still run in their time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$1"
case "${2:-}" in
  asan)
    cxx="$(command -v clang++-14 || true)"
    if [ -z "$cxx" ]; then
      echo "configure: clang++-14 not found (tools/setup.sh --test installs it)" >&2
      exit 1
    fi
    flags=(-DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -gline-tables-only"
           -DIKV_SANITIZE=address,undefined -DIKV_FUZZ=ON) ;;
  tsan)
    flags=(-DCMAKE_CXX_COMPILER=g++ -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1"
           -DIKV_SANITIZE=thread -DIKV_FUZZ=OFF) ;;
  *)
    echo "usage: tools/sanitizers/configure.sh <build-dir> asan|tsan" >&2
    exit 2 ;;
esac
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${flags[@]}" \
  -DIKV_BUILD_TESTS=ON -DIKV_BUILD_BENCH=OFF -DIKV_WERROR=OFF >/dev/null
