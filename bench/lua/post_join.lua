-- wrk script: durable POSTs, members joining the six networks in turn.
-- Every request has its own Idempotency-Key and e-mail address.
-- Environment: IKV_BENCH_TOKEN (a bearer token that may command),
-- IKV_BENCH_RUN (makes keys unique across runs).
local token = os.getenv("IKV_BENCH_TOKEN") or ""
local run = os.getenv("IKV_BENCH_RUN") or tostring(os.time())
local nets = {"south-karelia", "ostrobothnia", "north-savo", "turku", "oulu", "tampere"}
local sectors = {"police", "ngo", "reception_centre", "kela", "parish", "trade_union"}
local next_tid = 1
local counter = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
end

function request()
  counter = counter + 1
  local key = run .. "-j" .. tostring(tid) .. "-" .. counter
  local net = nets[(counter % #nets) + 1]
  local body = '{"name":"Bench Member ' .. counter .. '","email":"' .. key ..
    '@bench.example","organisation":"Bench organisation","sector":"' ..
    sectors[(counter % #sectors) + 1] .. '","joined_on":"2025-03-01"}'
  return wrk.format("POST", "/v1/networks/" .. net .. "/members",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
     ["Idempotency-Key"] = key}, body)
end
