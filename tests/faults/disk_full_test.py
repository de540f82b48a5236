#!/usr/bin/python3
"""A full disk: ikv-server answers 503 problems, keeps reading, and a restart recovers everything acknowledged.

The data directory is on a small tmpfs (mounted here; needs root: skipped with
exit status 77 when mounting is not permitted). With the registry running, a
filler file takes all but a little of the space; then commands with large
bodies (observations, each with a unique summary and an Idempotency-Key) are
posted until the store runs out of room. Checked:

  - a write that cannot be stored is answered 503 application/problem+json
    (never 500, never a dropped connection), and the server keeps running;
  - reads still answer (a network, the roster, /v1/events, /livez) and
    /v1/audit/verify reports the chain ok;
  - with the filler deleted, writes are still refused (503): by design the
    store stays in its failed state until the process reopens it, since the
    state on disk after a failed write is unknown (eventstore/rocks_event_store.h);
  - after a restart on the same data: every acknowledged command is there
    exactly once, the chain verifies, the refused commands retried with their
    Idempotency-Key land exactly once, and new writes succeed.

Usage: disk_full_test.py --server PATH
"""

import argparse
import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "property"))
from ikv_process import ADMIN, Client, Server, ServerError  # noqa: E402

SKIP = 77
TMPFS_SIZE = "16m"
HEADROOM = 512 * 1024
SUMMARY_BYTES = 9000


def mount_tmpfs(path, size):
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return r.returncode == 0, r.stdout.decode(errors="replace").strip()


def umount(path):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.umount2(path.encode(), 2) != 0:  # MNT_DETACH
        subprocess.run(["umount", "-l", path], stderr=subprocess.DEVNULL)


def observation(tag):
    return {"theme": "other", "observed_on": "2024-01-01", "summary": tag + " " + "x" * SUMMARY_BYTES}


def summaries(client):
    out, cursor = {}, None
    while True:
        a = client.call("GET", "/v1/networks/oulu/observations?limit=1000" + (f"&cursor={cursor}" if cursor else ""))
        assert a.status == 200, a
        for o in a.json["items"]:
            tag = (o.get("summary") or "").split(" ")[0]
            out[tag] = out.get(tag, 0) + 1
        cursor = a.json["next_cursor"]
        if not cursor:
            return out


def is_problem(a, status):
    return (a.status == status and a.media == "application/problem+json" and isinstance(a.json, dict)
            and a.json.get("status") == status)


def run(binary, mount_dir, failures):
    data = os.path.join(mount_dir, "data")
    log = os.path.join(tempfile.gettempdir(), f"ikv_disk_full_{os.getpid()}.log")
    filler = os.path.join(mount_dir, "filler")
    server = Server(binary, data, args=["--rate-limit", "0", "--threads", "2"], log_path=log)
    acked, refused = [], []
    try:
        client = Client(server.port, ADMIN)
        st = os.statvfs(mount_dir)
        free = st.f_bavail * st.f_frsize
        with open(filler, "wb") as f:
            f.write(b"\0" * max(free - HEADROOM, 0))
        print(f"tmpfs {TMPFS_SIZE}: {free} bytes free after start, {HEADROOM} left after the filler", flush=True)
        for i in range(2000):
            tag = f"full-{i}"
            key = str(uuid.uuid4())
            try:
                a = client.call("POST", "/v1/networks/oulu/observations", observation(tag),
                                headers={"Idempotency-Key": key})
            except OSError as err:
                failures.append(f"write {i}: no answer ({err}); server alive: {server.alive()}")
                break
            if 200 <= a.status < 300:
                acked.append((tag, key))
                continue
            refused.append((tag, key))
            if not is_problem(a, 503):
                failures.append(f"write {i} on a full disk: {a!r} (expected a 503 problem)")
            if len(refused) >= 5:
                break
        print(f"{len(acked)} writes acknowledged, then {len(refused)} refused", flush=True)
        if not refused:
            failures.append("the disk never filled up")
        if not server.alive():
            failures.append("the server died on a full disk:\n" + server.log())
            return
        for path in ("/v1/networks/oulu", "/v1/networks/oulu/members", "/v1/events?limit=5", "/livez"):
            a = client.call("GET", path)
            if a.status != 200:
                failures.append(f"GET {path} on a full disk: {a!r}")
        v = client.call("GET", "/v1/audit/verify")
        if v.status != 200 or v.json.get("ok") is not True:
            failures.append(f"audit/verify on a full disk: {v!r}")
        os.unlink(filler)
        tag, key = f"freed-{uuid.uuid4().hex[:6]}", str(uuid.uuid4())
        a = client.call("POST", "/v1/networks/oulu/observations", observation(tag), headers={"Idempotency-Key": key})
        if 200 <= a.status < 300:
            acked.append((tag, key))
            print("with space freed the server accepts writes again without a restart", flush=True)
        elif is_problem(a, 503):
            refused.append((tag, key))
            print("with space freed the store still refuses writes (failed state until reopened): "
                  + a.json.get("detail", ""), flush=True)
        else:
            failures.append(f"a write after space was freed: {a!r}")
        code = server.stop()
        if code != 0:
            failures.append(f"the server exited with {code} on SIGTERM after the full disk:\n{server.log()}")
    finally:
        server.kill()

    server = Server(binary, data, args=["--rate-limit", "0", "--threads", "2"], log_path=log)
    try:
        client = Client(server.port, ADMIN)
        count = summaries(client)
        for tag, _ in acked:
            if count.get(tag, 0) != 1:
                failures.append(f"acknowledged {tag} is there {count.get(tag, 0)} times after the restart")
        v = client.call("GET", "/v1/audit/verify")
        if v.status != 200 or v.json.get("ok") is not True:
            failures.append(f"audit/verify after the restart: {v!r}")
        for tag, key in refused:
            a = client.call("POST", "/v1/networks/oulu/observations", observation(tag),
                            headers={"Idempotency-Key": key})
            if not 200 <= a.status < 300:
                failures.append(f"retry of refused {tag} after the restart: {a!r}")
        count = summaries(client)
        for tag, _ in acked + refused:
            if count.get(tag, 0) != 1:
                failures.append(f"{tag} is there {count.get(tag, 0)} times after the retries")
        a = client.call("POST", "/v1/networks/oulu/observations", {"theme": "other", "observed_on": "2024-01-02"})
        if a.status != 200:
            failures.append(f"a new write after the restart: {a!r}")
        print(f"after the restart: {len(acked)} acknowledged and {len(refused)} retried writes each there once",
              flush=True)
        server.stop()
    finally:
        server.kill()
        if failures and os.path.exists(log):
            print("server log:\n" + open(log, errors="replace").read()[-3000:])
        if os.path.exists(log):
            os.unlink(log)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    args = parser.parse_args(argv)
    work = tempfile.mkdtemp(prefix="ikv_disk_full_")
    ok, why = mount_tmpfs(work, TMPFS_SIZE)
    if not ok:
        shutil.rmtree(work, ignore_errors=True)
        print(f"skipped: cannot mount a tmpfs here ({why})")
        return SKIP
    failures = []
    started = time.monotonic()
    try:
        run(args.server, work, failures)
    except (ServerError, AssertionError) as err:
        failures.append(str(err))
    finally:
        umount(work)
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL " + f)
    print(f"{len(failures)} failures, {time.monotonic() - started:.0f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
