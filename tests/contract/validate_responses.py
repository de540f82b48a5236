#!/usr/bin/python3
"""Validates every answer of a scripted walk through the API against docs/openapi.yaml.

Starts ikv-server on a temporary data directory (with the demo data) on a free
loopback port, walks every operation the server has with each role and with
the errors each can give (400, 401, 403, 404, 405, 409, 412, 413, 415, 422),
checks each answer with openapi_check.Contract, and stops the server.

Usage: validate_responses.py --server PATH/TO/ikv-server [--spec docs/openapi.yaml]
Exit status: 0 every answer agrees; 1 some do not (each is printed); 2 setup failed.
Needs Debian's python3-yaml and python3-jsonschema (tools/setup.sh installs them).
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openapi_check import Contract  # noqa: E402
import walk  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
ADMIN = "contract-admin-7c1e9b2a4d6f8e0a1c3b5d7f9e1a3c5b"


class Server:
    """ikv-server as a child process on a free port."""

    def __init__(self, binary, data_dir):
        self.port_file = data_dir + ".port"
        self.log_path = data_dir + ".stderr.log"
        env = {"PATH": "/usr/bin:/bin", "IKV_ADMIN_TOKEN": ADMIN}
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [binary, "--data", data_dir, "--listen", "127.0.0.1:0", "--port-file", self.port_file,
                 "--threads", "2", "--log-level", "warn"],
                stdout=subprocess.DEVNULL, stderr=log, env=env)
        deadline = time.monotonic() + 60
        self.port = None
        while self.port is None:
            if self.proc.poll() is not None:
                raise RuntimeError("ikv-server exited:\n" + open(self.log_path, errors="replace").read())
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("ikv-server did not start")
            try:
                text = open(self.port_file).read()
                if text.endswith("\n"):
                    self.port = int(text)
            except (OSError, ValueError):
                pass
            time.sleep(0.01)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


class Client:
    """Sends requests, checks every answer against the contract, keeps the failures."""

    def __init__(self, port, contract, served):
        self.port = port
        self.contract = contract
        self.served = served
        self.failures = []
        self.checked = 0
        self.operations_ok = set()

    def call(self, method, path, body=None, token=ADMIN, headers=None, expect=None, raw=None,
             content_type="application/json"):
        """One request; returns (status, parsed JSON or None, headers)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            hdrs.setdefault("Content-Type", content_type)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            res = conn.getresponse()
            payload = res.read()
            status, answer_headers = res.status, res.getheaders()
        except (OSError, http.client.HTTPException) as err:
            self.failures.append(f"{method} {path}: no answer ({err})")
            return 0, None, {}
        finally:
            conn.close()
        self.checked += 1
        where = f"{method} {path} -> {status}"
        if expect is not None and status != expect:
            self.failures.append(f"{where}: the walk expected {expect}: {payload[:300]!r}")
        text = payload.decode("utf-8", errors="replace")
        for problem in self.contract.check(method, path, status, answer_headers, text):
            self.failures.append(f"{where}: {problem}")
        template, _ = self.contract.match(path.split("?", 1)[0])
        if 200 <= status < 300 and template is not None:
            self.operations_ok.add(f"{method} {template}")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return status, parsed, {k.lower(): v for k, v in answer_headers}

    def has(self, method, template):
        return f"{method} {template}" in self.served


def served_routes(binary):
    out = subprocess.run([binary, "--print-routes"], stdout=subprocess.PIPE, check=True).stdout.decode()
    return {" ".join(line.split()[:2]) for line in out.splitlines() if line.strip()}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--spec", default=os.path.join(ROOT, "docs", "openapi.yaml"))
    args = parser.parse_args(argv)
    contract = Contract(args.spec)
    served = served_routes(args.server)
    work = tempfile.mkdtemp(prefix="ikv_contract_")
    server = None
    try:
        server = Server(args.server, os.path.join(work, "data"))
        client = Client(server.port, contract, served)
        try:
            walk.run(client, ADMIN)
        except Exception:  # noqa: BLE001 (an answer the walk could not use; report it and go on)
            client.failures.append("the walk stopped early:\n" + traceback.format_exc())
        client.call("GET", "/openapi.yaml", token=None, expect=200)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/openapi.yaml")
        with open(args.spec, encoding="utf-8") as f:
            if conn.getresponse().read().decode("utf-8") != f.read():
                client.failures.append("GET /openapi.yaml does not serve docs/openapi.yaml as it is")
        conn.close()
    except RuntimeError as err:
        sys.stderr.write(f"validate_responses: {err}\n")
        return 2
    finally:
        code = server.stop() if server else None
        shutil.rmtree(work, ignore_errors=True)
    if code not in (0, None):
        client.failures.append(f"the server exited with {code} on SIGTERM")
    documented = {f"{m} {t}" for m, t, _ in contract.operations()}
    for route in sorted((served & documented) - client.operations_ok):
        client.failures.append(f"{route}: the walk got no 2xx answer from this operation")
    for f in client.failures:
        print("FAIL " + f)
    skipped = sorted(documented - served)
    if skipped:
        print("not served (skipped): " + ", ".join(skipped))
    print(f"{client.checked} answers checked against the document, "
          f"{len(client.operations_ok)} operations answered 2xx, {len(client.failures)} disagreements")
    return 1 if client.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
