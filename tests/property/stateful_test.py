#!/usr/bin/python3
"""A stateful property test of ikv-server (hypothesis.stateful.RuleBasedStateMachine).

Starts ikv-server on a temporary data directory and runs random sequences
of commands against one network per sequence, keeping a model of its stream
version, the log's head position and the Idempotency-Keys used. After every
step:

  - the network's ETag is the model's version and only ever grows; the log's
    head (`/v1/audit/verify` head_position) only ever grows and is the model's;
  - a command with If-Match of the current version is applied (version + 1);
    with a stale version it is 412 and changes nothing;
  - a replay under the same Idempotency-Key (same token, same body) answers
    the same status and body and appends nothing; a different body under the
    same key is 422 and appends nothing;
  - the live feed (`GET /v1/events`, `Accept: text/event-stream`) read from
    some position, cut off after a few events and resumed with
    `Last-Event-ID`, delivers exactly the events of `/v1/events` after that
    position, in order, with no gap and no duplicate, and then delivers a new
    event live.

A fixed seed (--seed), no example database; the failing sequence is printed
and written to --failures.

Usage: stateful_test.py --server PATH [--examples N] [--steps N] [--seed N]
"""

import argparse
import http.client
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import uuid

try:
    from hypothesis import HealthCheck, seed, settings, strategies as st
except ImportError:  # Debian's python3-hypothesis (tools/setup.sh --test)
    print("skipped: Hypothesis is not installed")
    sys.exit(77)
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ikv_process import ADMIN, Client, Server, ServerError  # noqa: E402

PORT = None
SEP = {"n": 0}
STEPS = {}


def counted(fn):
    def wrapper(self, *a, **kw):
        STEPS[fn.__name__] = STEPS.get(fn.__name__, 0) + 1
        return fn(self, *a, **kw)
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def head(client):
    a = client.call("GET", "/v1/audit/verify")
    assert a.status == 200, a
    assert a.json["ok"] is True, a.json
    return a.json["head_position"]


def events_after(client, after):
    out = []
    while True:
        a = client.call("GET", f"/v1/events?after={after}&limit=1000")
        assert a.status == 200, a
        out += a.json["items"]
        if not a.json["next_cursor"]:
            return out
        after = out[-1]["position"]


class Sse:
    """A live feed connection; next_event() answers (id, type, data) or None on timeout."""

    def __init__(self, port, after=None, last_event_id=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Authorization": "Bearer " + ADMIN, "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        path = "/v1/events" + (f"?after={after}" if after is not None else "")
        self.conn.request("GET", path, headers=headers)
        self.sock = self.conn.sock  # the response keeps it once the connection lets go of it
        self.res = self.conn.getresponse()
        assert self.res.status == 200, (self.res.status, self.res.read())
        ctype = self.res.getheader("Content-Type", "")
        assert ctype.startswith("text/event-stream"), ctype

    def next_event(self, timeout=5.0):
        self.sock.settimeout(timeout)
        fields = {}
        data = []
        while True:
            line = self.res.readline()
            if not line:
                raise AssertionError("the live feed ended")
            line = line.decode("utf-8").rstrip("\r\n")
            if line == "":
                if data or "id" in fields:
                    return int(fields["id"]), fields.get("event"), json.loads("\n".join(data))
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                data.append(value)
            else:
                fields[name] = value

    def close(self):
        self.res.close()
        self.conn.close()


class RegistryMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.client = Client(PORT, ADMIN)
        SEP["n"] += 1
        self.network = f"state-{SEP['n']}-{uuid.uuid4().hex[:6]}"
        a = self.client.call("POST", "/v1/networks", {
            "id": self.network, "name": {"fi": "Tila", "sv": "Tillstånd", "en": "State"}, "region": "Kainuu",
            "seat": "Kajaani", "steward": "Pro-tukipiste", "established_on": "2020-01-01"})
        assert a.status == 201, a
        self.version = a.json["version"]
        self.head = head(self.client)
        assert self.head >= a.json["position"]
        self.keys = {}  # key -> (path, body, answer status, answer body)
        self.emails = 0

    def teardown(self):
        self.client.close()

    # ---- helpers -----------------------------------------------------------
    def member_body(self):
        self.emails += 1
        return {"name": "State Member", "email": f"{self.network}.{self.emails}@example.org",
                "organisation": "Trial", "sector": "police", "joined_on": "2022-05-01"}

    def applied(self, answer, created=False):
        assert answer.status == (201 if created else 200), answer
        assert answer.json["version"] == self.version + 1, (answer.json, self.version)
        assert answer.json["position"] > self.head, (answer.json, self.head)
        self.version = answer.json["version"]
        self.head = answer.json["position"]

    def unchanged(self):
        assert head(self.client) == self.head, "something was appended"
        etag = self.client.call("GET", f"/v1/networks/{self.network}").headers.get("etag")
        assert etag == f'"{self.version}"', (etag, self.version)

    # ---- rules -------------------------------------------------------------
    @rule(with_if_match=st.booleans(), keyed=st.booleans())
    @counted
    def join(self, with_if_match, keyed):
        headers = {"If-Match": f'"{self.version}"'} if with_if_match else {}
        body = self.member_body()
        key = None
        if keyed:
            key = str(uuid.uuid4())
            headers["Idempotency-Key"] = key
        a = self.client.call("POST", f"/v1/networks/{self.network}/members", body, headers=headers)
        self.applied(a, created=True)
        assert a.headers.get("location", "").endswith(a.json["member_id"]) or "location" in a.headers, a.headers
        if key:
            self.keys[key] = (f"/v1/networks/{self.network}/members", body, a.status, a.body)

    @rule(theme=st.sampled_from(["forced_labour", "seasonal_work", "other"]), keyed=st.booleans())
    @counted
    def observe(self, theme, keyed):
        body = {"theme": theme, "observed_on": "2024-03-01", "target_groups": ["Thai"]}
        headers = {}
        key = None
        if keyed:
            key = str(uuid.uuid4())
            headers["Idempotency-Key"] = key
        a = self.client.call("POST", f"/v1/networks/{self.network}/observations", body, headers=headers)
        self.applied(a)
        if key:
            self.keys[key] = (f"/v1/networks/{self.network}/observations", body, a.status, a.body)

    @rule(behind=st.integers(min_value=1, max_value=5), ahead=st.booleans())
    @counted
    def stale_if_match(self, behind, ahead):
        stale = self.version + behind if ahead else max(self.version - behind, 0)
        body = {"theme": "other", "observed_on": "2024-03-02"}
        a = self.client.call("POST", f"/v1/networks/{self.network}/observations", body,
                             headers={"If-Match": f'"{stale}"'})
        assert a.status == 412, a
        assert a.media == "application/problem+json" and a.json["status"] == 412, a
        self.unchanged()

    @precondition(lambda self: self.keys)
    @rule(data=st.data())
    @counted
    def replay(self, data):
        key = data.draw(st.sampled_from(sorted(self.keys)))
        path, body, status, answer_body = self.keys[key]
        a = self.client.call("POST", path, body, headers={"Idempotency-Key": key})
        assert a.status == status, (a, status)
        assert json.loads(a.body) == json.loads(answer_body), (a.body, answer_body)
        self.unchanged()

    @precondition(lambda self: self.keys)
    @rule(data=st.data())
    @counted
    def replay_with_another_body(self, data):
        key = data.draw(st.sampled_from(sorted(self.keys)))
        path, body, _, _ = self.keys[key]
        other = dict(body)
        if "email" in other:
            other["email"] = "other." + other["email"]
        else:
            other["observed_on"] = "2024-03-03"
        a = self.client.call("POST", path, other, headers={"Idempotency-Key": key})
        assert a.status == 422, a
        assert a.media == "application/problem+json" and a.json["status"] == 422, a
        self.unchanged()

    @rule(back=st.integers(min_value=0, max_value=12), cut=st.integers(min_value=1, max_value=6),
          use_after=st.booleans())
    @counted
    def live_feed_resumes(self, back, cut, use_after):
        start = max(self.head - back, 0)
        expected = events_after(self.client, start)
        assert [e["position"] for e in expected] == list(range(start + 1, self.head + 1)), "the log has a gap"
        got = []
        first = Sse(PORT, after=start)
        try:
            for _ in range(min(cut, len(expected))):
                got.append(first.next_event())
        finally:
            first.close()
        last = got[-1][0] if got else start
        # Resume: Last-Event-ID wins over `after` (pointed somewhere else on purpose).
        second = Sse(PORT, after=(0 if use_after else None), last_event_id=last)
        try:
            while len(got) < len(expected):
                got.append(second.next_event())
            positions = [g[0] for g in got]
            assert positions == [e["position"] for e in expected], (positions, start, self.head)
            for (pos, typ, data), event in zip(got, expected):
                assert typ == event["type"] and data == event, (pos, typ, data, event)
            # A new event arrives live on the resumed feed.
            a = self.client.call("POST", f"/v1/networks/{self.network}/observations",
                                 {"theme": "other", "observed_on": "2024-03-04"})
            self.applied(a)
            pos, typ, data = second.next_event()
            assert pos == self.head and typ == "ObservationRecorded", (pos, typ, self.head)
        finally:
            second.close()

    # ---- invariants --------------------------------------------------------
    @invariant()
    def etag_is_the_version(self):
        a = self.client.call("GET", f"/v1/networks/{self.network}")
        assert a.status == 200, a
        assert a.headers.get("etag") == f'"{self.version}"', (a.headers.get("etag"), self.version)
        assert a.json.get("version", self.version) == self.version, a.json

    @invariant()
    def head_is_known(self):
        assert head(self.client) == self.head


def main(argv):
    global PORT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--examples", type=int, default=12)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20241101)
    parser.add_argument("--failures", default=os.path.join(os.getcwd(), "stateful-failures.txt"))
    args = parser.parse_args(argv)
    print(f"seed {args.seed}, {args.examples} sequences of up to {args.steps} steps", flush=True)
    work = tempfile.mkdtemp(prefix="ikv_stateful_")
    server = None
    started = time.monotonic()
    try:
        server = Server(args.server, os.path.join(work, "data"), args=["--rate-limit", "0", "--threads", "2"])
        PORT = server.port
        machine = seed(args.seed)(RegistryMachine)
        try:
            run_state_machine_as_test(machine, settings=settings(
                max_examples=args.examples, stateful_step_count=args.steps, deadline=None, database=None,
                print_blob=True, suppress_health_check=list(HealthCheck)))
        except Exception:  # noqa: BLE001 (Hypothesis printed the minimal sequence above)
            text = traceback.format_exc()
            with open(args.failures, "w", encoding="utf-8") as f:
                f.write(f"seed {args.seed}\n{text}\n")
            print(text)
            if not server.alive():
                print(f"the server died (exit {server.proc.returncode}); its log ends:\n{server.log()}")
            print(f"FAIL (seed {args.seed}; the failing steps are printed above and in {args.failures})")
            return 1
    except ServerError as err:
        sys.stderr.write(f"stateful_test: {err}\n")
        return 2
    finally:
        code = server.stop() if server else None
        shutil.rmtree(work, ignore_errors=True)
    if code not in (0, None):
        print(f"FAIL: the server exited with {code} on SIGTERM")
        return 1
    print("steps run: " + ", ".join(f"{k} {v}" for k, v in sorted(STEPS.items())))
    print(f"the state machine held for {args.examples} sequences ({time.monotonic() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
