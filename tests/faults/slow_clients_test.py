#!/usr/bin/python3
"""Slow, idle and half-open clients do not stop ikv-server from serving others, and are closed in time.

Part 1. ikv-server with --max-connections 6000 --header-timeout 8
--idle-timeout 8 (this test raises its own RLIMIT_NOFILE soft limit to the
hard limit, and the server inherits it). Held open at once:

  - 5,000 idle TCP connections that never send a byte;
  - a client sending a request one byte per second;
  - a client that sent half a request header, and one that sent a header and
    half the body it announced, then stopped;
  - a keep-alive connection idle after one answered request.

Meanwhile another client's requests (reads, a command, /livez) must each be
answered 2xx within 5 s (a generous bound; it checks that they are served,
not how fast). Then every one of those connections must be closed by the
server: idle and slow ones after the header timeout, the idle keep-alive one
after the idle timeout, the half body after the body timeout (30 s); each
within its timeout plus 20 s of slack. Any answer they got must be a 4xx
problem. Nothing of the half-sent command is stored, and the server still
answers.

Part 2. The server started with the common default soft limit of 1,024
descriptors and its default --max-connections (1,024): with 1,100 idle
connections held, a new client must still get an answer within 5 s (200, or
the documented 503 problem for a server at its connection limit) rather than
wait unaccepted.

Usage: slow_clients_test.py --server PATH [--idle N] [--part 1|2]
"""

import argparse
import http.client
import json
import os
import resource
import selectors
import shutil
import socket
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "property"))
from ikv_process import ADMIN, Server, ServerError  # noqa: E402

HEADER_TIMEOUT = 8
IDLE_TIMEOUT = 8
BODY_TIMEOUT = 30  # HttpOptions::body_timeout; not a command-line option
SLACK = 20
BOUND = 5.0


def raise_nofile(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def server_nofile(pid):
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                return int(line.split()[3])
    return None


def normal_request(port, method, path, body=None):
    """One request on a fresh connection; (status, seconds) or raises after BOUND seconds."""
    t0 = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=BOUND)
    try:
        headers = {"Authorization": "Bearer " + ADMIN}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        res = conn.getresponse()
        res.read()
        return res.status, time.monotonic() - t0
    finally:
        conn.close()


class Watched:
    """A connection the server is expected to close; records when and what it answered."""

    def __init__(self, name, sock, bound):
        self.name = name
        self.sock = sock
        self.bound = bound
        self.opened = time.monotonic()
        self.closed_after = None
        self.received = b""

    def on_readable(self):
        try:
            data = self.sock.recv(65536)
        except (ConnectionResetError, OSError):
            data = b""
        if data:
            self.received += data
            return False
        self.closed_after = time.monotonic() - self.opened
        return True


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setblocking(False)
    return s


def check_answers(watched, failures):
    for w in watched:
        if not w.received:
            continue
        head = w.received.split(b"\r\n", 1)[0]
        parts = head.split(b" ")
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        if not 400 <= status < 500 or b"application/problem+json" not in w.received:
            failures.append(f"{w.name}: answered {w.received[:200]!r}, expected nothing or a 4xx problem")


def part_one(binary, work, idle_count, failures):
    limit = raise_nofile(idle_count + 2000)
    print(f"test RLIMIT_NOFILE soft limit {limit}", flush=True)
    server = Server(binary, os.path.join(work, "data1"), args=[
        "--rate-limit", "0", "--threads", "2", "--max-connections", str(idle_count + 1000),
        "--header-timeout", str(HEADER_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT)])
    watched, stop, slow_state = [], threading.Event(), {}
    try:
        print(f"server RLIMIT_NOFILE soft limit {server_nofile(server.proc.pid)}", flush=True)
        port = server.port
        head0 = json.loads(_get(port, "/v1/audit/verify"))["head_position"]
        t0 = time.monotonic()
        for i in range(idle_count):
            watched.append(Watched(f"idle connection {i}", connect(port), HEADER_TIMEOUT + SLACK))
        print(f"{idle_count} idle connections open in {time.monotonic() - t0:.1f}s", flush=True)

        half_header = connect(port)
        half_header.sendall(b"GET /v1/networks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bear")
        watched.append(Watched("half a header", half_header, HEADER_TIMEOUT + SLACK))
        body = b'{"theme": "other", "observed_on": "2024-01-01", "summary": "half-sent"}'
        half_body = connect(port)
        half_body.sendall(b"POST /v1/networks/oulu/observations HTTP/1.1\r\nHost: localhost\r\n"
                          b"Authorization: Bearer " + ADMIN.encode() + b"\r\nContent-Type: application/json\r\n"
                          b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:20])
        watched.append(Watched("half a body", half_body, BODY_TIMEOUT + SLACK))
        keep = connect(port)
        keep.sendall(b"GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n")
        keep_alive = Watched("idle keep-alive", keep, IDLE_TIMEOUT + SLACK)
        watched.append(keep_alive)

        slow = connect(port)
        slow_watch = Watched("one byte a second", slow, HEADER_TIMEOUT + SLACK)
        request = (b"GET /v1/networks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                   + ADMIN.encode() + b"\r\n\r\n")

        def trickle():
            for i, byte in enumerate(request):
                if stop.is_set():
                    return
                try:
                    slow.send(bytes([byte]))
                except OSError:
                    slow_state["cut_after"] = i
                    return
                time.sleep(1.0)
            slow_state["completed"] = True
        trickler = threading.Thread(target=trickle)
        trickler.start()
        watched.append(slow_watch)

        served = 0
        for round_no in range(6):
            for method, path, body_json in (
                    ("GET", "/v1/networks", None), ("GET", "/livez", None), ("GET", "/v1/networks/oulu/members", None),
                    ("POST", "/v1/networks/oulu/observations", {"theme": "other", "observed_on": "2024-01-02"})):
                try:
                    status, took = normal_request(port, method, path, body_json)
                except (OSError, http.client.HTTPException) as err:
                    failures.append(f"normal {method} {path} while slow clients are held: no answer in "
                                    f"{BOUND}s ({err})")
                    continue
                if not 200 <= status < 300:
                    failures.append(f"normal {method} {path} while slow clients are held: {status}")
                served += 1
            time.sleep(0.5)
        print(f"{served} normal requests answered while {len(watched)} slow or idle connections were held",
              flush=True)

        sel = selectors.DefaultSelector()
        for w in watched:
            sel.register(w.sock, selectors.EVENT_READ, w)
        deadline = time.monotonic() + BODY_TIMEOUT + SLACK + 5
        while sel.get_map() and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.5):
                if key.data.on_readable():
                    sel.unregister(key.fileobj)
        for w in watched:
            if w.closed_after is None:
                failures.append(f"{w.name}: still open after {time.monotonic() - w.opened:.0f}s")
            elif w.closed_after > w.bound:
                failures.append(f"{w.name}: closed only after {w.closed_after:.0f}s (bound {w.bound}s)")
        sel.close()
        stop.set()
        trickler.join(timeout=10)
        if slow_state.get("completed"):
            failures.append("the one-byte-a-second client sent its whole request before being cut off")
        check_answers([w for w in watched if w is not keep_alive], failures)
        if not keep_alive.received.startswith(b"HTTP/1.1 200"):
            failures.append(f"the keep-alive client's request was not answered: {keep_alive.received[:100]!r}")
        closed = [w.closed_after for w in watched if w.closed_after is not None]
        if closed:
            print(f"closed by the server: {len(closed)} of {len(watched)}, the last after {max(closed):.1f}s",
                  flush=True)
        status, _ = normal_request(port, "GET", "/v1/networks")
        if status != 200:
            failures.append(f"after the slow clients: GET /v1/networks answered {status}")
        events = json.loads(_get(port, f"/v1/events?after={head0}&limit=1000"))["items"]
        if any("half-sent" in json.dumps(e) for e in events):
            failures.append("the half-sent command was stored")
        if len(events) != served // 4:
            failures.append(f"{len(events)} events appended, expected {served // 4} (the normal commands)")
        if not server.alive():
            failures.append("the server died:\n" + server.log())
    finally:
        stop.set()
        for w in watched:
            w.sock.close()
        code = server.stop()
        if code != 0:
            failures.append(f"the server exited with {code} on SIGTERM:\n{server.log()}")


def part_two(binary, work, failures):
    def low_limit():
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

    raise_nofile(4000)
    server = Server(binary, os.path.join(work, "data2"), args=["--rate-limit", "0", "--threads", "2"],
                    preexec_fn=low_limit)
    socks = []
    try:
        print(f"part 2: server RLIMIT_NOFILE soft limit {server_nofile(server.proc.pid)}, "
              f"--max-connections default", flush=True)
        for _ in range(1100):
            socks.append(connect(server.port))
        time.sleep(0.5)
        try:
            status, took = normal_request(server.port, "GET", "/livez")
            if status not in (200, 503):
                failures.append(f"part 2: a new client among 1,100 idle connections got {status}")
            print(f"part 2: a new client got {status} in {took:.2f}s", flush=True)
        except (OSError, http.client.HTTPException) as err:
            failures.append(f"part 2: with the server's soft descriptor limit at 1,024 and 1,100 idle connections "
                            f"a new client got no answer in {BOUND}s ({err}); the server does not raise its "
                            f"RLIMIT_NOFILE and runs out of descriptors before --max-connections")
    finally:
        for s in socks:
            s.close()
        server.stop()
        if "accept failed" in server.log():
            print("part 2: the server logged: " + next(
                line for line in server.log().splitlines() if "accept failed" in line), flush=True)


def _get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": "Bearer " + ADMIN})
        return conn.getresponse().read()
    finally:
        conn.close()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--part", type=int, choices=(1, 2))
    args = parser.parse_args(argv)
    work = tempfile.mkdtemp(prefix="ikv_slow_")
    failures = []
    started = time.monotonic()
    try:
        if args.part in (None, 1):
            part_one(args.server, work, args.idle, failures)
        if args.part in (None, 2):
            part_two(args.server, work, failures)
    except (ServerError, OSError) as err:
        failures.append(f"setup: {err}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures[:30]:
        print("FAIL " + f)
    if len(failures) > 30:
        print(f"... and {len(failures) - 30} more")
    print(f"{len(failures)} failures, {time.monotonic() - started:.0f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
