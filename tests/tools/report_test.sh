#!/usr/bin/env bash
# ikv-report against a data directory while ikv-server runs on it (read-only
# secondary): the chain verifies and the trend report holds the demo data.
set -euo pipefail
server="$1"
report="$2"
dir="$(mktemp -d)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

"$server" --data "$dir/data" --listen 127.0.0.1:0 --port-file "$dir/port" >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do [[ -s "$dir/port" ]] && break; sleep 0.1; done
[[ -s "$dir/port" ]] || { echo "server did not start"; cat "$dir/server.log"; exit 1; }

out="$("$report" verify --data "$dir/data")"
echo "$out"
[[ "$out" == ok:* ]] || { echo "verify failed"; exit 1; }

json="$("$report" --data "$dir/data" --from 2024-01-01 --to 2024-12-31 --granularity year)"
echo "$json" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
nets = {p["network"] for p in r["periods"] if p["period"] == "2024"}
assert {"oulu", "turku", "north-savo", "south-karelia", "ostrobothnia"} <= nets, nets
ranked = {t["theme"]: t["networks"] for t in r["themes_ranked"]}
assert ranked.get("forced_labour", 0) >= 2, ranked
assert ranked.get("forced_marriage", 0) >= 1 and ranked.get("youth_exploitation", 0) >= 1, ranked
families = {f["family"]: f["networks"] for f in r["families_ranked"]}
assert families.get("forced_labour", 0) >= 4, families  # "in most regions"
print("report ok:", len(r["periods"]), "periods")
'
csv="$("$report" --data "$dir/data" --format csv --granularity quarter)"
[[ "$(echo "$csv" | head -1 | tr -d "\r")" == "period,network,measure,code,count" ]] || { echo "bad csv"; exit 1; }

# Before anything was recorded the registry knew of nothing.
early="$("$report" --data "$dir/data" --known-at 2000-01-01T00:00:00Z --granularity year)"
echo "$early" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["periods"] == [] and r["themes_ranked"] == [], r
print("known-at ok")
'

if "$report" --data "$dir/data" --from 2024-02-30 >/dev/null 2>&1; then
  echo "an impossible date was accepted"; exit 1
fi
echo "1 passed, 0 failed"
