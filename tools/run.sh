#!/usr/bin/env bash
# Sets up, builds and starts ikv-server on 127.0.0.1:8080 with its data in
# ./data. On the first start the demo data is loaded and the admin token is
# written to ./data/admin.token. Extra arguments go to ikv-server
# (see `build/server/ikv-server --help`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/tools/build.sh" -DIKV_BUILD_TESTS=OFF -DIKV_BUILD_BENCH=OFF
exec "${IKV_BUILD_DIR:-$root/build}/server/ikv-server" --listen 127.0.0.1:8080 --data "$root/data" "$@"
