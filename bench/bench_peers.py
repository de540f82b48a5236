"""Processes for the end-to-end benchmark: ikv-server, nginx and PostgreSQL
started on loopback with private data directories and ports, stopped by pid
at exit; wrk and pgbench runs with their output parsed.

Not thread-safe: one benchmark run per process.
"""
import atexit
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time

PG_BIN = "/usr/lib/postgresql/15/bin"
NGINX = "/usr/sbin/nginx"
WRK = "/usr/bin/wrk"

_children = []  # (name, pid) of every process to stop at exit


def _stop_all():
    for name, pid in reversed(_children):
        stop_pid(pid, name)
    _children.clear()


atexit.register(_stop_all)
for _sig in (signal.SIGINT, signal.SIGTERM):
    signal.signal(_sig, lambda s, f: (_stop_all(), os._exit(128 + s)))


def stop_pid(pid, name="", grace=20.0):
    """SIGTERM, then SIGKILL after `grace` seconds; waits for the pid to go."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + grace
    while time.monotonic() < end:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                return
        except ChildProcessError:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def forget(pid):
    for i, (_, p) in enumerate(_children):
        if p == pid:
            del _children[i]
            return


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def have(path):
    return os.path.exists(path) and os.access(path, os.X_OK)


def memory_mib(pid):
    """(VmRSS, VmHWM) in MiB from /proc/<pid>/status."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024.0
    return out.get("VmRSS", 0.0), out.get("VmHWM", 0.0)


def http_get(port, path, token=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


def http_post(conn, path, token, body, key):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "Idempotency-Key": key}
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


class IkvServer:
    def __init__(self, binary, data, token, log_path):
        self.binary, self.data, self.token, self.log_path = binary, data, token, log_path
        self.port = free_port()
        self.proc = None

    def start_and_wait_ready(self, timeout=600):
        """Starts the server; returns seconds from process start to /readyz 200."""
        env = dict(os.environ, IKV_ADMIN_TOKEN=self.token)
        log = open(self.log_path, "w")
        args = [self.binary, "--listen", f"127.0.0.1:{self.port}", "--data", self.data,
                "--no-demo", "--rate-limit", "0", "--log-level", "warn"]
        t0 = time.monotonic()
        self.proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        _children.append(("ikv-server", self.proc.pid))
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ikv-server exited with {self.proc.returncode}, see {self.log_path}")
            try:
                status, _ = http_get(self.port, "/readyz", timeout=1)
                if status == 200:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.002)
        raise RuntimeError("ikv-server not ready in time")

    def stop(self):
        if self.proc:
            stop_pid(self.proc.pid, "ikv-server")
            forget(self.proc.pid)
            self.proc = None


class Nginx:
    def __init__(self, root_dir, body, path_name):
        self.dir = root_dir
        shutil.rmtree(root_dir, ignore_errors=True)
        os.makedirs(os.path.join(root_dir, "www"), mode=0o755)
        os.makedirs(os.path.join(root_dir, "logs"))
        with open(os.path.join(root_dir, "www", path_name), "wb") as f:
            f.write(body)
        os.chmod(os.path.join(root_dir, "www", path_name), 0o644)
        self.port = free_port()
        self.proc = None

    def start(self):
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 2;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  default_type application/json;
  types {{ text/html html; application/json json; }}
  client_body_temp_path {self.dir}/tmp_body;
  proxy_temp_path {self.dir}/tmp_proxy;
  server {{
    listen 127.0.0.1:{self.port};
    root {self.dir}/www;
    location / {{ }}
  }}
}}
""")
        self.proc = subprocess.Popen([NGINX, "-p", self.dir, "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        _children.append(("nginx", self.proc.pid))
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("nginx did not start")

    def stop(self):
        if self.proc:
            stop_pid(self.proc.pid, "nginx")
            forget(self.proc.pid)
            self.proc = None


class Postgres:
    """A private cluster owned by the postgres user (initdb refuses root)."""

    def __init__(self, base):
        self.base = base
        self.data = os.path.join(base, "data")
        self.sock = os.path.join(base, "run")
        self.port = free_port()
        self.pid = None

    def _as_pg(self, args, **kw):
        return subprocess.run(["runuser", "-u", "postgres", "--"] + args, check=True, **kw)

    def ensure_cluster(self):
        os.makedirs(self.base, exist_ok=True)
        shutil.chown(self.base, "postgres", "postgres")
        os.makedirs(self.sock, exist_ok=True)
        shutil.chown(self.sock, "postgres", "postgres")
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            shutil.rmtree(self.data, ignore_errors=True)
            self._as_pg([f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                         "-E", "UTF8", "--locale=C"], stdout=subprocess.DEVNULL)

    def start(self, log_path):
        opts = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
                "-c fsync=on -c synchronous_commit=on -c max_connections=120")
        self._as_pg([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.base, "server.log"),
                     "-o", opts, "-w", "start"], stdout=open(log_path, "a"), stderr=subprocess.STDOUT)
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())
        _children.append(("postgres", self.pid))

    def stop(self):
        if self.pid:
            stop_pid(self.pid, "postgres", grace=60)
            forget(self.pid)
            self.pid = None

    def psql(self, sql, out=subprocess.PIPE, check=True):
        return subprocess.run([f"{PG_BIN}/psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", self.sock,
                               "-p", str(self.port), "-U", "postgres", "-d", "postgres", "-c", sql],
                              stdout=out, stderr=subprocess.PIPE, check=check, text=out == subprocess.PIPE)

    def pgbench(self, script, clients, threads, seconds, log_path):
        r = subprocess.run([f"{PG_BIN}/pgbench", "-n", "-h", self.sock, "-p", str(self.port), "-U", "postgres",
                            "-c", str(clients), "-j", str(threads), "-T", str(seconds), "-D", "v=0",
                            "-f", script, "postgres"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        with open(log_path, "w") as f:
            f.write(r.stdout)
        tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", r.stdout)
        failed = re.search(r"number of failed transactions: (\d+)", r.stdout)
        return (float(tps.group(1)) if tps else None), (int(failed.group(1)) if failed else None), r.stdout


def run_wrk(url, seconds, log_path, script=None, headers=(), latency=False, env=None):
    """Runs wrk -t2 -c64; returns a dict: rps, non2xx, socket_errors, lines."""
    args = [WRK, "-t2", "-c64", f"-d{seconds}s", "--timeout", "10s"]
    if latency:
        args.append("--latency")
    for h in headers:
        args += ["-H", h]
    if script:
        args += ["-s", script]
    args.append(url)
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env=dict(os.environ, **(env or {})))
    with open(log_path, "w") as f:
        f.write(" ".join(a if not a.startswith("Authorization") else "Authorization: Bearer ***"
                         for a in args) + "\n" + r.stdout)
    out = {"text": r.stdout, "rps": None, "non2xx": 0, "socket_errors": 0, "load": {}}
    m = re.search(r"Requests/sec:\s+([0-9.]+)", r.stdout)
    if m:
        out["rps"] = float(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
    if m:
        out["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", r.stdout)
    if m:
        out["socket_errors"] = sum(int(x) for x in m.groups())
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "LOAD":
            out["load"][" ".join(parts[1:-1])] = int(parts[-1])
    return out
