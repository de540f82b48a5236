#!/usr/bin/env bash
# The end-to-end benchmark: builds what it needs, generates the log once,
# starts its peers on loopback, prints one table (also bench/results/latest.md).
#   bench/run.sh [--quick] [--build DIR] [--events N] [--seconds N] [--load-seconds N]
# See bench/README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec /usr/bin/python3 -B "$here/bench_run.py" "$@"
