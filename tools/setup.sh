#!/usr/bin/env bash
# Installs what the registry needs to build, test and run on Debian 12.
# Non-interactive; a no-op when everything is already there. Run as root
# (or with sudo available).
#   tools/setup.sh           build and run
#   tools/setup.sh --test    also what the test command needs (clang for the
#                            fuzzers, sanitizer runtimes, clang-tidy,
#                            Hypothesis, Chromium)
#   tools/setup.sh --bench   also the benchmark peers (nginx, PostgreSQL, wrk)
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config git ca-certificates curl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  librocksdb-dev libspdlog-dev libhowardhinnant-date-dev libcli11-dev
  libssl-dev libgtest-dev libgmock-dev libflatbuffers-dev flatbuffers-compiler
  prometheus-cpp-dev libjemalloc-dev
  python3 python3-yaml python3-jsonschema nodejs npm
)
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(clang-14 libclang-rt-14-dev clang-tidy-14 clang-format-14 python3-hypothesis python3-requests chromium) ;;
    --bench) packages+=(nginx-light postgresql wrk procps) ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# nodejs/npm may come from elsewhere than Debian (a preinstalled Node): accept that.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  echo "setup: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
