#!/usr/bin/python3
"""kill -9 under load loses no acknowledged command and duplicates nothing.

Each round: ikv-server runs on one data directory (kept across rounds); 64
writer threads post commands with an Idempotency-Key each (members joining
a network with unique e-mail addresses, observations with a unique summary);
at a random moment the server gets SIGKILL. It is started again on the same
data, and then:

  - every command answered 2xx before the kill is there exactly once (the
    roster by e-mail, the observations by summary);
  - the log has no gap and no duplicate (positions 1..head, unique event ids),
    and /v1/audit/verify reports the chain ok;
  - the unacknowledged commands, retried with the same Idempotency-Key and
    body, are each answered 2xx and each is there exactly once afterwards;
  - a sample of acknowledged commands replayed with their key answer the
    same status and body and append nothing.

Usage: kill9_test.py --server PATH [--rounds N] [--writers N] [--seed N]
Exit status 0 when every round holds, 1 otherwise.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "property"))
from ikv_process import ADMIN, Client, Server, ServerError  # noqa: E402

NETWORK = "kill-net"


class Command:
    def __init__(self, kind, path, body, key):
        self.kind = kind
        self.path = path
        self.body = body
        self.key = key
        self.status = None   # the 2xx status, once acknowledged
        self.answer = None

    @property
    def tag(self):
        return self.body["email"] if self.kind == "join" else self.body["summary"]


def writer(port, round_no, index, stop, commands, lock):
    client = Client(port, ADMIN, timeout=10)
    n = 0
    while not stop.is_set():
        n += 1
        key = str(uuid.uuid4())
        if n % 2:
            cmd = Command("join", f"/v1/networks/{NETWORK}/members", {
                "name": f"Writer {index}", "email": f"r{round_no}-w{index}-{n}@example.org",
                "organisation": "Load", "sector": "police", "joined_on": "2023-01-01"}, key)
        else:
            cmd = Command("observe", f"/v1/networks/{NETWORK}/observations", {
                "theme": "other", "observed_on": "2024-02-02", "summary": f"r{round_no}-w{index}-{n}"}, key)
        with lock:
            commands.append(cmd)
        try:
            # One attempt only: a retry here would hide what the kill did.
            client.close()
            a = client.call("POST", cmd.path, cmd.body, headers={"Idempotency-Key": key}, retry=False)
        except Exception:  # noqa: BLE001 (the server is gone: this one is unacknowledged)
            return
        if 200 <= a.status < 300:
            cmd.status, cmd.answer = a.status, a.json
        elif a.status >= 500:
            cmd.status = -a.status


def paged(client, path):
    items, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        a = client.call("GET", path + (f"{sep}cursor={cursor}" if cursor else ""))
        if a.status != 200:
            raise AssertionError(f"GET {path}: {a!r}")
        items += a.json["items"]
        cursor = a.json["next_cursor"]
        if not cursor:
            return items


def census(client):
    members = paged(client, f"/v1/networks/{NETWORK}/members?limit=1000&include_former=true")
    observations = paged(client, f"/v1/networks/{NETWORK}/observations?limit=1000")
    count = {}
    for m in members:
        count[m["email"]] = count.get(m["email"], 0) + 1
    for o in observations:
        count[o["summary"]] = count.get(o["summary"], 0) + 1
    return count


def check_log(client, failures):
    events = paged(client, "/v1/events?limit=1000")
    positions = [e["position"] for e in events]
    if positions != list(range(1, len(positions) + 1)):
        failures.append("the log has a gap or a repeated position")
    ids = [e["event_id"] for e in events]
    if len(set(ids)) != len(ids):
        failures.append(f"{len(ids) - len(set(ids))} event ids appear twice")
    v = client.call("GET", "/v1/audit/verify")
    if v.status != 200 or not v.json.get("ok") or v.json.get("head_position") != len(positions):
        failures.append(f"audit/verify: {v!r} (log has {len(positions)} events)")
    return len(positions)


def round_trip(binary, data, round_no, writers, rng, failures):
    server = Server(binary, data, args=["--rate-limit", "0", "--threads", "2"])
    try:
        client = Client(server.port, ADMIN)
        if round_no == 1:
            a = client.call("POST", "/v1/networks", {
                "id": NETWORK, "name": {"fi": "Kuorma", "sv": "Last", "en": "Load"}, "region": "Uusimaa",
                "seat": "Helsinki", "steward": "Pro-tukipiste", "established_on": "2020-01-01"})
            if a.status != 201:
                raise AssertionError(f"establishing {NETWORK}: {a!r}")
        stop = threading.Event()
        lock = threading.Lock()
        commands = []
        threads = [threading.Thread(target=writer, args=(server.port, round_no, i, stop, commands, lock))
                   for i in range(writers)]
        for t in threads:
            t.start()
        delay = rng.uniform(0.8, 3.0)
        time.sleep(delay)
        server.kill()
        stop.set()
        for t in threads:
            t.join(timeout=30)
        if any(t.is_alive() for t in threads):
            failures.append(f"round {round_no}: a writer hung after the kill")
    finally:
        server.kill()
    acked = [c for c in commands if c.status and c.status > 0]
    errors = [c for c in commands if c.status and c.status < 0]
    pending = [c for c in commands if not c.status]
    for c in errors:
        failures.append(f"round {round_no}: {c.kind} answered {-c.status} under load")
    print(f"round {round_no}: killed after {delay:.2f}s; {len(commands)} commands sent, {len(acked)} acknowledged, "
          f"{len(pending)} without an answer", flush=True)
    if not acked:
        failures.append(f"round {round_no}: no command was acknowledged before the kill")

    server = Server(binary, data, args=["--rate-limit", "0", "--threads", "2"])
    try:
        client = Client(server.port, ADMIN)
        count = census(client)
        lost = [c.tag for c in acked if count.get(c.tag, 0) == 0]
        doubled = [c.tag for c in commands if count.get(c.tag, 0) > 1]
        if lost:
            failures.append(f"round {round_no}: {len(lost)} acknowledged commands lost, e.g. {lost[:3]}")
        if doubled:
            failures.append(f"round {round_no}: {len(doubled)} commands stored twice, e.g. {doubled[:3]}")
        head = check_log(client, failures)
        survived = sum(1 for c in pending if count.get(c.tag, 0) == 1)
        print(f"round {round_no}: after restart {head} events; {survived} of the unanswered commands had landed",
              flush=True)
        # Replays of acknowledged commands: the same answer, nothing appended.
        for c in rng.sample(acked, min(20, len(acked))):
            a = client.call("POST", c.path, c.body, headers={"Idempotency-Key": c.key})
            if a.status != c.status or a.json != c.answer:
                failures.append(f"round {round_no}: replay of {c.tag} answered {a!r}, first {c.status} {c.answer}")
        # Retries of the unacknowledged ones with their key.
        for c in pending:
            a = client.call("POST", c.path, c.body, headers={"Idempotency-Key": c.key})
            if not 200 <= a.status < 300:
                failures.append(f"round {round_no}: retry of unacknowledged {c.tag} answered {a!r}")
        count = census(client)
        for c in commands:
            if count.get(c.tag, 0) != 1:
                failures.append(f"round {round_no}: {c.tag} is there {count.get(c.tag, 0)} times after the retries")
        head_after = check_log(client, failures)
        if head_after != head + (len(pending) - survived):
            failures.append(f"round {round_no}: retries appended {head_after - head} events, expected "
                            f"{len(pending) - survived}")
        code = server.stop()
        if code != 0:
            failures.append(f"round {round_no}: the server exited with {code} on SIGTERM")
    finally:
        server.kill()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writers", type=int, default=64)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args(argv)
    print(f"seed {args.seed}", flush=True)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="ikv_kill9_")
    failures = []
    started = time.monotonic()
    try:
        for r in range(1, args.rounds + 1):
            round_trip(args.server, os.path.join(work, "data"), r, args.writers, rng, failures)
    except (ServerError, AssertionError) as err:
        failures.append(str(err))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures[:40]:
        print("FAIL " + f)
    print(f"{args.rounds} rounds, {len(failures)} failures, {time.monotonic() - started:.0f}s (seed {args.seed})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
