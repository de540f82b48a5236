"""ikv-server as a child process, and a small HTTP client for tests that drive it.

`Server(binary, data_dir, args=[...])` starts ikv-server on a free loopback
port (read back from --port-file) with a known admin token; `stop()` sends
SIGTERM, `kill()` SIGKILL. `Client(port)` sends one request per call on a
keep-alive connection and answers an `Answer` (status, lower-case headers,
raw body, parsed JSON or None). Used by tests/property and tests/faults.

Thread-safety: a Client belongs to one thread; Server.stop()/kill() from the
thread that started it.
"""

import http.client
import json
import os
import signal
import subprocess
import time

ADMIN = "property-admin-4b7d1e9a2c6f8a0b3d5e7f9a1c3e5b7d"


class ServerError(RuntimeError):
    pass


class Server:
    """One ikv-server process on `data_dir`."""

    def __init__(self, binary, data_dir, args=(), log_path=None, admin=ADMIN, start_timeout=60.0,
                 preexec_fn=None):
        self.binary = binary
        self.data_dir = data_dir
        self.port_file = data_dir.rstrip("/") + ".port"
        self.log_path = log_path or data_dir.rstrip("/") + ".stderr.log"
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        env = {"PATH": "/usr/bin:/bin", "IKV_ADMIN_TOKEN": admin}
        cmd = [binary, "--data", data_dir, "--listen", "127.0.0.1:0", "--port-file", self.port_file,
               "--log-level", "warn", *args]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, env=env,
                                         preexec_fn=preexec_fn)
        deadline = time.monotonic() + start_timeout
        self.port = None
        while self.port is None:
            if self.proc.poll() is not None:
                raise ServerError(f"ikv-server exited with {self.proc.returncode}:\n" + self.log())
            if time.monotonic() > deadline:
                self.kill()
                raise ServerError("ikv-server did not start in time:\n" + self.log())
            try:
                with open(self.port_file) as f:
                    text = f.read()
                if text.endswith("\n"):
                    self.port = int(text)
            except (OSError, ValueError):
                pass
            time.sleep(0.01)

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def alive(self):
        return self.proc.poll() is None

    def stop(self, timeout=30):
        """SIGTERM and wait; SIGKILL if it does not end. Returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        return self.proc.returncode


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.header_list = headers
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    @property
    def media(self):
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def __repr__(self):
        return f"<{self.status} {self.media} {self.body[:300]!r}>"


class Client:
    """Requests on one keep-alive connection (reopened whenever needed)."""

    def __init__(self, port, token=ADMIN, timeout=30.0):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def call(self, method, path, body=None, raw=None, token="default", headers=None,
             content_type="application/json", retry=True):
        """One request. `body` is sent as JSON, `raw` as bytes; token=None sends no Authorization.

        retry: send once more on a fresh connection when a kept-alive one turns out closed."""
        hdrs = dict(headers or {})
        token = self.token if token == "default" else token
        if token is not None and "Authorization" not in hdrs:
            hdrs["Authorization"] = "Bearer " + token
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None and content_type is not None:
            hdrs.setdefault("Content-Type", content_type)
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                res = self.conn.getresponse()
                payload = res.read()
                answer = Answer(res.status, res.getheaders(), payload)
                if answer.headers.get("connection", "").lower() == "close":
                    self.close()
                return answer
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as err:
                # A keep-alive connection the server closed between requests: retry once afresh.
                self.close()
                if attempt == 1 or not retry:
                    raise err
            except (OSError, http.client.HTTPException):
                self.close()
                raise
        raise AssertionError("unreachable")

