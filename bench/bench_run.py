"""The end-to-end benchmark: ikv-server and its helpers side by side with
their peers (RocksDB, PostgreSQL, nginx), started on loopback in the same run.
Prints one Markdown table (measure | ikv | peer | peer figure | ratio | target |
met?) and writes it to bench/results/latest.md, raw logs in bench/results/raw/.

Run through bench/run.sh; see bench/README.md for the rows.
"""
import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid

import bench_peers as peers

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGETS = ["ikv-server", "ikv-bench-gen", "ikv-bench-replay", "ikv-bench-fsync", "ikv-bench-rocks-put"]
NETWORKS = ["south-karelia", "ostrobothnia", "north-savo", "turku", "oulu", "tampere"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--build", default=os.path.join(ROOT, "build-bench"),
                   help="CMake build directory (Release; default ./build-bench)")
    p.add_argument("--no-build", action="store_true", help="use the binaries already built")
    p.add_argument("--work", default=None, help="work directory (default BUILD/bench-work)")
    p.add_argument("--events", type=int, default=None, help="events in the log (default 1,000,000)")
    p.add_argument("--seconds", type=int, default=None, help="seconds per throughput run (default 10)")
    p.add_argument("--load-seconds", type=int, default=None, help="seconds of the LOAD row (default 60)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run of every row: 100,000 events, 3 s runs, 10 s load")
    p.add_argument("--results", default=os.path.join(HERE, "results"))
    a = p.parse_args()
    a.events = a.events or (100_000 if a.quick else 1_000_000)
    a.seconds = a.seconds or (3 if a.quick else 10)
    a.load_seconds = a.load_seconds or (10 if a.quick else 60)
    a.runs = 1 if a.quick else 2
    a.work = a.work or os.path.join(a.build, "bench-work")
    return a


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def results_of(text):
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "RESULT":
            out[parts[1]] = float(parts[2])
    return out


def run_tool(args, log_path):
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(log_path, "w") as f:
        f.write(" ".join(args) + "\n" + r.stdout)
    if r.returncode != 0:
        raise RuntimeError(f"{os.path.basename(args[0])} failed ({r.returncode}), see {log_path}")
    return results_of(r.stdout)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, measure, ikv, peer="—", peer_fig="—", ratio="—", target="—", met="—"):
        self.rows.append([measure, ikv, peer, peer_fig, ratio, target, met])

    def markdown(self):
        head = ["measure", "ikv", "peer", "peer figure", "ratio", "target", "met?"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in self.rows]
        return "\n".join(lines)


def fmt(x, unit=""):
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:,.0f}{unit}"
    return f"{x:.2f}{unit}"


def yes(ok):
    return "yes" if ok else "**no**"


def ensure_log(a, bins, raw):
    """The log (and its CSV export) for --events, generated once per work dir."""
    d = os.path.join(a.work, f"log-{a.events}")
    marker = os.path.join(d, ".complete")
    if os.path.exists(marker):
        log(f"using the cached log in {d}")
        # A freshly generated log ends with a current snapshot; a cached one
        # may hold none, or sections of an older format: bring it up to date
        # so that start-up is measured as a restart of today's binary.
        log("checking the cached log's snapshot")
        run_tool([bins["ikv-bench-gen"], "--data", os.path.join(d, "data"), "--refresh-snapshot"],
                 os.path.join(raw, "gen-snapshot.log"))
        return d, None
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    log(f"generating {a.events:,} events into {d} (once; cached)")
    r = run_tool([bins["ikv-bench-gen"], "--data", os.path.join(d, "data"), "--events", str(a.events),
                  "--csv", os.path.join(d, "events.csv")], os.path.join(raw, "gen.log"))
    open(marker, "w").close()
    return d, r.get("gen_events_per_s")


def pg_prepare(a, logd, raw):
    """A private PostgreSQL cluster holding the same events (cached), started."""
    pg = peers.Postgres(os.path.join(a.work, "pg"))
    pg.ensure_cluster()
    pg.start(os.path.join(raw, "postgres.log"))
    marker = os.path.join(a.work, "pg", f".loaded-{a.events}")
    if not os.path.exists(marker):
        log("loading the events into PostgreSQL (once; cached)")
        for m in [x for x in os.listdir(os.path.join(a.work, "pg")) if x.startswith(".loaded-")]:
            os.remove(os.path.join(a.work, "pg", m))
        pg.psql("DROP TABLE IF EXISTS events; CREATE TABLE events (position bigint PRIMARY KEY, "
                "stream text NOT NULL, version bigint NOT NULL, type text NOT NULL, "
                "recorded_at timestamptz NOT NULL, payload json NOT NULL, UNIQUE (stream, version))")
        pg.psql(f"\\copy events FROM '{os.path.join(logd, 'events.csv')}' WITH (FORMAT csv)")
        pg.psql("VACUUM ANALYZE events")
        open(marker, "w").close()
    return pg


def pg_copy_rate(pg, runs):
    """Events/s of COPY (SELECT ... ORDER BY position) TO STDOUT into /dev/null, best of runs."""
    n = int(pg.psql("SELECT count(*) FROM events").stdout.strip() or 0)
    best = 0.0
    for _ in range(runs):
        t0 = time.monotonic()
        with open(os.devnull, "w") as null:
            pg.psql("COPY (SELECT position, stream, version, type, recorded_at, payload FROM events "
                    "ORDER BY position) TO STDOUT", out=null)
        best = max(best, n / (time.monotonic() - t0))
    return best


PG_APPEND_SQL = """
DROP TABLE IF EXISTS bench_events;
CREATE TABLE bench_events (position bigserial PRIMARY KEY, stream text NOT NULL,
  version bigint NOT NULL, type text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb NOT NULL, UNIQUE (stream, version));
CREATE OR REPLACE FUNCTION append_event(p_stream text, p_expected bigint, p_type text,
                                        p_payload jsonb) RETURNS bigint AS $$
DECLARE cur bigint;
BEGIN
  SELECT coalesce(max(version), 0) INTO cur FROM bench_events WHERE stream = p_stream;
  IF cur <> p_expected THEN
    RAISE EXCEPTION 'wrong expected version: stream % is at %, expected %', p_stream, cur, p_expected;
  END IF;
  INSERT INTO bench_events (stream, version, type, payload) VALUES (p_stream, cur + 1, p_type, p_payload);
  RETURN cur + 1;
END $$ LANGUAGE plpgsql;
"""

PG_SCRIPT = """\\set n random(1, 1000000000)
SELECT append_event('bench-' || :client_id, :v, 'MemberJoined', ('{"member_id":"m-' || :n || '","organisation":"Bench organisation","sector":"police","joined_on":"2025-03-01","personal":{"sealed":"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODktXw-QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVph"}}')::jsonb) AS v \\gset
"""


def idle_post_p50(port, token, n, raw):
    """p50 (ms) of n sequential observation POSTs on one keep-alive connection, 5 ms apart."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    lat, bad = [], 0
    body = json.dumps({"theme": "forced_labour", "observed_on": "2025-05-02",
                       "target_groups": ["seasonal workers"]})
    for i in range(n + 10):
        t0 = time.perf_counter()
        status, _ = peers.http_post(conn, "/v1/networks/oulu/observations", token, body, str(uuid.uuid4()))
        dt = (time.perf_counter() - t0) * 1000
        if status // 100 != 2:
            bad += 1
        if i >= 10:
            lat.append(dt)
        time.sleep(0.005)
    conn.close()
    lat.sort()
    with open(os.path.join(raw, "idle_post.log"), "w") as f:
        f.write(f"{n} sequential POSTs, non-2xx {bad}\nlatencies ms: {' '.join(f'{x:.3f}' for x in lat)}\n")
    return statistics.median(lat), lat[int(0.99 * (len(lat) - 1))], bad


def overview_html(port, token):
    """The peer of the dashboard's overview: the six networks' cards as one
    static HTML page (the same names, seats, stewards and member counts)."""
    import html
    status, body = peers.http_get(port, "/v1/networks?limit=1000", token)
    if status != 200:
        raise RuntimeError(f"/v1/networks answered {status}")
    cards = []
    for n in json.loads(body)["items"]:
        name = n["name"].get("fi") or n["id"]
        steward = n["steward"] if isinstance(n["steward"], str) else ", ".join(n["steward"])
        cards.append(f'<li class="card"><h2>{html.escape(name)}</h2><dl><dt>Seat</dt><dd>{html.escape(n["seat"])}'
                     f'</dd><dt>Steward</dt><dd>{html.escape(steward)}</dd><dt>Members</dt>'
                     f'<dd>{n["member_count"]}</dd></dl></li>')
    return ('<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Verkostot</title></head>'
            '<body><main><h1>Verkostot</h1><ul class="cards">' + "".join(cards) + "</ul></main></body></html>"
            ).encode()


def first_paint(a, port, token, raw):
    """The overview's first meaningful paint in headless Chromium: the dashboard
    served by ikv-server on the bench log, and nginx serving the same cards as a
    static page. None when Chromium or the build's Node tools are missing."""
    modules = os.path.join(a.build, "web", "node", "node_modules")
    script = os.path.join(HERE, "first_paint.mjs")
    if not (os.path.exists("/usr/bin/chromium") and shutil.which("node") and os.path.isdir(modules)):
        return None
    runs = "3" if a.quick else "7"
    log("dashboard first paint: ikv")
    ikv = run_tool(["node", script, modules, f"http://127.0.0.1:{port}/?lang=fi", token, runs],
                   os.path.join(raw, "first_paint_ikv.log"))
    log("dashboard first paint: nginx")
    ng = peers.Nginx(os.path.join(a.work, "nginx-paint"), overview_html(port, token), "overview.html")
    ng.start()
    try:
        peer = run_tool(["node", script, modules, f"http://127.0.0.1:{ng.port}/overview.html", "-", runs],
                        os.path.join(raw, "first_paint_nginx.log"))
    finally:
        ng.stop()
    return ikv, peer, runs


def add_first_paint_row(t, paint):
    label = "dashboard overview, first meaningful paint (six network cards on screen) in headless Chromium, cold cache"
    if paint is None:
        t.add(label + " (ms)", "—", "peer missing (Chromium or the build's Node tools)")
        return
    ikv, peer, runs = paint
    ms, peer_ms = ikv["first_paint_ms_p50"], peer["first_paint_ms_p50"]
    t.add(f"{label}, median of {runs} (ms; max {ikv['first_paint_ms_max']:.0f})", f"{ms:.0f}",
          "the same cards as a static page from nginx 1.22", f"{peer_ms:.0f}", f"{ms / peer_ms:.2f}x",
          "< 1,000 ms", yes(ms < 1000))


def main():
    a = parse_args()
    raw = os.path.join(a.results, "raw")
    os.makedirs(raw, exist_ok=True)
    os.makedirs(a.work, exist_ok=True)
    bins = {t: os.path.join(a.build, "server" if t == "ikv-server" else "bench", t) for t in TARGETS}
    if not a.no_build:
        if not os.path.exists(os.path.join(a.build, "build.ninja")):
            subprocess.run(["cmake", "-G", "Ninja", "-S", ROOT, "-B", a.build, "-DCMAKE_BUILD_TYPE=Release"],
                           check=True, stdout=subprocess.DEVNULL)
        log("building " + " ".join(TARGETS))
        subprocess.run(["nice", "ninja", "-C", a.build, "-j2"] + TARGETS, check=True, stdout=subprocess.DEVNULL)
    load_before = open("/proc/loadavg").read().split()[:3]
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    t = Table()
    notes = []
    run_id = uuid.uuid4().hex[:8]

    logd, gen_rate = ensure_log(a, bins, raw)
    data = os.path.join(logd, "data")
    if gen_rate:
        notes.append(f"log generated in this run through the domain at {gen_rate:,.0f} events/s")

    # Disk floor.
    log("fdatasync floor")
    fs = run_tool([bins["ikv-bench-fsync"], "--dir", a.work, "--rounds", "1000"], os.path.join(raw, "fsync.log"))

    # Replay, raw iterator, PostgreSQL COPY.
    log("replay and raw read")
    rp = run_tool([bins["ikv-bench-replay"], "--data", data, "--runs", str(a.runs)], os.path.join(raw, "replay.log"))
    replay, raw_rate = rp["replay_events_per_s"], rp["raw_events_per_s"]
    n_events = int(rp["events"])
    t.add(f"replay into all projections, {n_events:,} events (ev/s)", fmt(replay),
          "RocksDB raw sequential read of the log CF", fmt(raw_rate), f"{replay / raw_rate:.2f}x",
          ">= 0.5x", yes(replay / raw_rate >= 0.5))
    pg = None
    if peers.have(f"{peers.PG_BIN}/postgres"):
        try:
            log("PostgreSQL: cluster, load, COPY out")
            pg = pg_prepare(a, logd, raw)
            copy_rate = pg_copy_rate(pg, a.runs + 1)
            t.add("replay vs PostgreSQL streaming the same events (ev/s)", fmt(replay),
                  "PostgreSQL 15 COPY (SELECT ... ORDER BY position) TO STDOUT", fmt(copy_rate),
                  f"{replay / copy_rate:.2f}x", ">= 4x", yes(replay / copy_rate >= 4))
        except Exception as e:  # a broken peer makes a row, not a crash
            t.add("replay vs PostgreSQL streaming the same events (ev/s)", fmt(replay), f"peer failed: {e}")
            pg = None
    else:
        t.add("replay vs PostgreSQL streaming the same events (ev/s)", fmt(replay), "peer missing")
    t.add("replay rate, absolute (ev/s)", fmt(replay), ratio="—", target=">= 1,000,000", met=yes(replay >= 1e6))

    # ikv-server on a copy of the log.
    sdata = os.path.join(a.work, "server-data")
    shutil.rmtree(sdata, ignore_errors=True)
    subprocess.run(["cp", "-a", "--reflink=auto", data, sdata], check=True)
    token = "ikv_bench_" + uuid.uuid4().hex
    srv = peers.IkvServer(bins["ikv-server"], sdata, token, os.path.join(raw, "ikv-server.log"))
    notes.append("ikv-server binary built " + time.strftime(
        "%Y-%m-%d %H:%M:%S", time.localtime(os.path.getmtime(bins["ikv-server"]))))
    log("ikv-server: start to ready")
    ready_s = srv.start_and_wait_ready()
    t.add(f"process start to /readyz 200, {n_events:,} events (s)", f"{ready_s:.3f}", target="< 1 s",
          met=yes(ready_s < 1))
    rss_ready = peers.memory_mib(srv.proc.pid)

    # An analyst token for the roster reads.
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    status, body = peers.http_post(conn, "/v1/tokens", token,
                                   json.dumps({"name": f"bench-analyst-{run_id}", "role": "analyst"}),
                                   str(uuid.uuid4()))
    conn.close()
    analyst = json.loads(body)["token"] if status == 201 else token
    roster_path = "/v1/networks/oulu/members?limit=50"
    status, roster = peers.http_get(srv.port, roster_path, analyst)
    if status != 200:
        raise RuntimeError(f"roster GET answered {status}: {roster[:200]!r}")

    log("roster GETs: ikv")
    g = peers.run_wrk(f"http://127.0.0.1:{srv.port}{roster_path}", a.seconds, os.path.join(raw, "wrk_get_ikv.log"),
                      headers=[f"Authorization: Bearer {analyst}"])
    rss_after_get = peers.memory_mib(srv.proc.pid)
    get_note = "" if g["non2xx"] == 0 and g["socket_errors"] == 0 else \
        f" ({g['non2xx']} non-2xx, {g['socket_errors']} socket errors)"
    if peers.have(peers.NGINX):
        log("roster GETs: nginx")
        ng = peers.Nginx(os.path.join(a.work, "nginx"), roster, "members.json")
        ng.start()
        gn = peers.run_wrk(f"http://127.0.0.1:{ng.port}/members.json", a.seconds,
                           os.path.join(raw, "wrk_get_nginx.log"))
        ng.stop()
        ratio = g["rps"] / gn["rps"]
        t.add(f"roster GET ({len(roster):,} bytes), wrk -t2 -c64 -d{a.seconds}s (req/s){get_note}", fmt(g["rps"]),
              "nginx 1.22 serving the same bytes as a static file", fmt(gn["rps"]), f"{ratio:.2f}x",
              ">= 0.7x", yes(ratio >= 0.7 and not get_note))
    else:
        t.add(f"roster GET, wrk -t2 -c64 (req/s){get_note}", fmt(g["rps"]), "peer missing")
    for label, (rss, hwm) in (("after ready", rss_ready), ("after the GET load", rss_after_get)):
        t.add(f"memory {label}: VmRSS / VmHWM (MiB)", f"{rss:.0f} / {hwm:.0f}", target="< 300 MiB",
              met=yes(max(rss, hwm) < 300))

    # Durable POSTs.
    log("durable POSTs: ikv")
    p = peers.run_wrk(f"http://127.0.0.1:{srv.port}/", a.seconds, os.path.join(raw, "wrk_post_ikv.log"),
                      script=os.path.join(HERE, "lua", "post_join.lua"),
                      env={"IKV_BENCH_TOKEN": token, "IKV_BENCH_RUN": run_id})
    post_ok = p["non2xx"] == 0 and p["socket_errors"] == 0 and p["rps"]
    post_note = f" ({p['non2xx']} non-2xx, {p['socket_errors']} socket errors)"
    post_label = f"durable POST (member joins), 64 connections (req/s){post_note}"
    if pg:
        log("durable appends: PostgreSQL pgbench")
        pg.psql(PG_APPEND_SQL)
        script = os.path.join(a.work, "pg", "append.sql")
        with open(script, "w") as f:
            f.write(PG_SCRIPT)
        tps, failed, _ = pg.pgbench(script, 64, 2, a.seconds, os.path.join(raw, "pgbench.log"))
        if tps:
            t.add(post_label, fmt(p["rps"]), f"PostgreSQL append function, pgbench -c 64 -j 2 -T {a.seconds}"
                  f" (failed: {failed})", fmt(tps), f"{p['rps'] / tps:.2f}x", ">= 5x",
                  yes(post_ok and p["rps"] / tps >= 5))
        else:
            t.add(post_label, fmt(p["rps"]), "peer failed: see raw/pgbench.log")
        pg.stop()
    else:
        t.add(post_label, fmt(p["rps"]), "peer missing (PostgreSQL)")
    log("durable appends: raw RocksDB")
    rk = run_tool([bins["ikv-bench-rocks-put"], "--dir", a.work, "--threads", "64", "--seconds", str(a.seconds)],
                  os.path.join(raw, "rocks_put.log"))
    t.add(post_label, fmt(p["rps"]), "raw RocksDB Put, sync=true, 64 threads", fmt(rk["puts_per_s"]),
          f"{p['rps'] / rk['puts_per_s']:.2f}x", ">= 1x", yes(post_ok and p["rps"] >= rk["puts_per_s"]))

    log("idle durable POST")
    p50, p99, bad = idle_post_p50(srv.port, token, 200, raw)
    fs50 = fs["fsync_p50_us"] / 1000
    t.add(f"one durable POST on an idle server, p50 of 200 (ms; p99 {p99:.2f}{', non-2xx ' + str(bad) if bad else ''})",
          f"{p50:.3f}", "write(4 KiB)+fdatasync p50, 1,000 rounds", f"{fs50:.3f}", f"{p50 / fs50:.2f}x",
          "< 2x", yes(p50 / fs50 < 2 and bad == 0))

    paint = first_paint(a, srv.port, token, raw)

    log(f"LOAD: {a.load_seconds} s mixed")
    ld = peers.run_wrk(f"http://127.0.0.1:{srv.port}/", a.load_seconds, os.path.join(raw, "wrk_load.log"),
                       script=os.path.join(HERE, "lua", "mixed.lua"), latency=True,
                       env={"IKV_BENCH_TOKEN": token, "IKV_BENCH_RUN": run_id})
    L = ld["load"]
    errors = L.get("non2xx", 0) + L.get("socket_errors", ld["socket_errors"])
    statuses = ", ".join(f"{k.split()[1]}: {v:,}" for k, v in sorted(L.items()) if k.startswith("status"))
    t.add(f"LOAD: 64 connections, 20% POST / 80% GET, {a.load_seconds} s: p50 / p99 / p99.9 (ms), req/s; "
          f"answers {statuses}",
          f"{L.get('p50_us', 0) / 1000:.2f} / {L.get('p99_us', 0) / 1000:.2f} / {L.get('p999_us', 0) / 1000:.2f}"
          f", {fmt(ld['rps'])} req/s", target="p99 < 100, p99.9 < 250, >= 5,000 req/s, 0 errors",
          met=yes(errors == 0 and ld["rps"] >= 5000 and 0 < L.get("p99_us", 0) < 100_000
                  and 0 < L.get("p999_us", 0) < 250_000) +
          f" ({L.get('non2xx', 0)} non-2xx, {L.get('socket_errors', ld['socket_errors'])} socket errors)")
    rss_end = peers.memory_mib(srv.proc.pid)
    srv.stop()
    t.add("memory after the LOAD run: VmRSS / VmHWM (MiB)", f"{rss_end[0]:.0f} / {rss_end[1]:.0f}",
          target="high-water < 400 MiB", met=yes(rss_end[1] < 400))

    add_first_paint_row(t, paint)

    load_after = open("/proc/loadavg").read().split()[:3]
    header = [f"# ikv benchmark, {started}", "",
              f"Machine: {os.cpu_count()} CPUs; load average at start {' '.join(load_before)}, at end "
              f"{' '.join(load_after)} (a load above the CPU count means other work shared the machine; "
              "compare ratios, not absolute figures).",
              f"Log: {n_events:,} events in {data}. Durations: {a.seconds} s per throughput run, "
              f"{a.load_seconds} s LOAD{' (quick mode)' if a.quick else ''}. Ratios are ikv / peer "
              "(for latency rows lower is better).", ""]
    header += [f"Note: {n}." for n in notes]
    text = "\n".join(header) + "\n" + t.markdown() + "\n"
    with open(os.path.join(a.results, "latest.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
