-- wrk script: the hardening load. 20% durable POSTs (members joining,
-- observations), 80% GETs over the read endpoints. Counts answers by status
-- and prints, at the end, lines the bench script reads:
--   LOAD status <code> <n>, LOAD requests <n>, LOAD non2xx <n>,
--   LOAD p50_us / p99_us / p999_us <latency>.
-- Environment: IKV_BENCH_TOKEN (admin), IKV_BENCH_RUN.
local token = os.getenv("IKV_BENCH_TOKEN") or ""
local run = os.getenv("IKV_BENCH_RUN") or tostring(os.time())
local nets = {"south-karelia", "ostrobothnia", "north-savo", "turku", "oulu", "tampere"}
local themes = {"forced_labour", "seasonal_work", "forced_marriage", "lack_of_training"}
local threads = {}
local next_tid = 1
local counter = 0
statuses = {}
non2xx = 0
answers = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + tid)
end

local function get(path)
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

local function post(path, key, body)
  return wrk.format("POST", path,
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
     ["Idempotency-Key"] = key}, body)
end

function request()
  counter = counter + 1
  local net = nets[math.random(#nets)]
  local r = math.random(100)
  local key = run .. "-m" .. tostring(tid) .. "-" .. counter
  if r <= 10 then
    return post("/v1/networks/" .. net .. "/members", key,
      '{"name":"Load Member","email":"' .. key .. '@bench.example",' ..
      '"organisation":"Load organisation","sector":"police","joined_on":"2025-04-01"}')
  elseif r <= 20 then
    return post("/v1/networks/" .. net .. "/observations", key,
      '{"theme":"' .. themes[math.random(#themes)] .. '","observed_on":"2025-04-02",' ..
      '"target_groups":["seasonal workers"]}')
  elseif r <= 45 then
    return get("/v1/networks/" .. net .. "/members?limit=50")
  elseif r <= 55 then
    return get("/v1/networks")
  elseif r <= 65 then
    return get("/v1/networks/" .. net)
  elseif r <= 72 then
    return get("/v1/meetings?network=" .. net .. "&limit=50")
  elseif r <= 79 then
    return get("/v1/networks/" .. net .. "/observations?limit=50")
  elseif r <= 84 then
    return get("/v1/events?limit=50&after=" .. math.random(900000))
  elseif r <= 90 then
    return get("/v1/taxonomy")
  elseif r <= 95 then
    return get("/v1/reports/coverage")
  else
    return get("/v1/reports/trends?from=2024-01-01&to=2024-12-31&granularity=quarter&network=" .. net)
  end
end

function response(status, headers, body)
  answers = answers + 1
  statuses[status] = (statuses[status] or 0) + 1
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local total, bad, all = 0, 0, {}
  for _, t in ipairs(threads) do
    total = total + (t:get("answers") or 0)
    bad = bad + (t:get("non2xx") or 0)
    local st = t:get("statuses") or {}
    for code, n in pairs(st) do all[code] = (all[code] or 0) + n end
  end
  for code, n in pairs(all) do io.write(string.format("LOAD status %d %d\n", code, n)) end
  local e = summary.errors
  io.write(string.format("LOAD requests %d\nLOAD non2xx %d\n", total, bad))
  io.write(string.format("LOAD socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("LOAD p50_us %d\nLOAD p99_us %d\nLOAD p999_us %d\nLOAD max_us %d\n",
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
