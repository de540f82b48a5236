#!/usr/bin/python3
"""Property-based tests of every operation of docs/openapi.yaml against a running ikv-server.

Starts ikv-server (demo data, no rate limit) on a temporary data directory,
discovers real ids (networks, members, meetings, taxonomy codes, tokens,
streams), then for EVERY operation of the document runs two Hypothesis tests:

  valid    requests built from the operation's parameter and request-body
           schemas, with real ids; each answer must be 2xx, or 409 (a business
           rule such as a second join) or 422 only for the semantic rules the
           schema cannot state (a date before the network's, a stewardship
           change dated earlier ...); at least one answer per operation is 2xx.
  invalid  the same requests broken in one way: wrong type, missing required
           field, unknown field, out-of-range number, impossible date, huge
           string, bad or unknown query parameter, bad or missing token, a role
           the operation does not allow, wrong content type, malformed JSON,
           bad UTF-8, an oversize body, a malformed If-Match or Idempotency-Key,
           an unknown id, a method the path does not have. Each answer must be
           the 4xx the mutation calls for.

For every answer: never a 5xx; every 4xx is application/problem+json whose
`status` equals the HTTP status; the status is documented for the operation
and the body validates against the documented schema (tests/contract's
openapi_check.Contract).

Runs are reproducible: a fixed seed (--seed, printed) and no example database.
On failure the minimal failing request and answer are printed and written to
--failures (default: property-failures.txt in the working directory).

Usage: api_property_test.py --server PATH [--spec docs/openapi.yaml] [--examples N]
                            [--seed N] [--operation OPERATION_ID ...]
Exit status: 0 all properties hold; 1 some do not; 2 setup failed.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback

try:
    from hypothesis import HealthCheck, given, seed, settings, strategies as st
except ImportError:  # Debian's python3-hypothesis (tools/setup.sh --test)
    print("skipped: Hypothesis is not installed")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "contract"))
from ikv_process import ADMIN, Client, Server, ServerError  # noqa: E402
from openapi_check import Contract  # noqa: E402
from request_model import RequestModel, check_answer, discover, format_failure  # noqa: E402


def run_operation(model, client, op, kind, examples, seed_value, failures_path, report):
    """Runs one property; answers a failure text or None."""
    state = {"failures": {}, "statuses": {}, "refusals": set()}

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False, print_blob=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def prop(data):
        req = data.draw(model.request(op, kind), label="request")
        answer = req.send(client)
        state["statuses"][answer.status] = state["statuses"].get(answer.status, 0) + 1
        if kind == "valid" and answer.status in (409, 422) and isinstance(answer.json, dict):
            errors = answer.json.get("errors") or [{}]
            state["refusals"].add(f"{answer.status} {errors[0].get('message') or answer.json.get('detail')}")
        problems = check_answer(model.contract, req, answer)
        if problems:
            # One example per kind of failure, the smallest seen (Hypothesis shrinks towards it).
            text = format_failure(op, kind, req, answer, problems)
            key = (req.label.split(":")[0].split("=")[0][:40], problems[0][:40])
            if key not in state["failures"] or len(text) <= len(state["failures"][key]):
                state["failures"][key] = text
            raise AssertionError("; ".join(problems))

    try:
        prop()
    except Exception:  # noqa: BLE001 (reported with the minimal example)
        text = "\n\n".join(state["failures"].values()) or traceback.format_exc()
        with open(failures_path, "a", encoding="utf-8") as f:
            f.write(text + f"\n(seed {seed_value}; rerun with --seed {seed_value} --operation "
                           f"{op['operationId']})\n\n")
        return text
    finally:
        report[(op["operationId"], kind)] = state["statuses"]
        report[(op["operationId"], kind, "refusals")] = sorted(state["refusals"])
    if kind == "valid" and not any(200 <= s < 300 for s in state["statuses"]):
        return (f"{op['operationId']}: no valid request got a 2xx answer "
                f"(statuses {state['statuses']})")
    return None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--spec", default=os.path.join(ROOT, "docs", "openapi.yaml"))
    parser.add_argument("--examples", type=int, default=30, help="examples per operation and kind")
    parser.add_argument("--seed", type=int, default=20241101)
    parser.add_argument("--operation", action="append", help="only these operationIds")
    parser.add_argument("--failures", default=os.path.join(os.getcwd(), "property-failures.txt"))
    args = parser.parse_args(argv)
    if os.path.exists(args.failures):
        os.unlink(args.failures)
    print(f"seed {args.seed}, {args.examples} examples per operation and kind", flush=True)
    contract = Contract(args.spec)
    work = tempfile.mkdtemp(prefix="ikv_property_")
    server = None
    failures = []
    report = {}
    started = time.monotonic()
    try:
        server = Server(args.server, os.path.join(work, "data"), args=["--rate-limit", "0", "--threads", "2",
                                                                   "--join-requests-per-hour", "1000000"])
        client = Client(server.port, ADMIN)
        pools, tokens = discover(client)
        model = RequestModel(contract, pools, tokens)
        for method, template, op in contract.operations():
            op = dict(op, method=method, template=template)
            if args.operation and op["operationId"] not in args.operation:
                continue
            for kind in ("valid", "invalid"):
                n = args.examples if op["operationId"] != "createBackup" else min(args.examples, 5)
                t0 = time.monotonic()
                failure = run_operation(model, client, op, kind, n, args.seed, args.failures, report)
                statuses = report.get((op["operationId"], kind), {})
                print(f"{'FAIL' if failure else 'ok  '} {op['operationId']:<22} {kind:<8} "
                      f"{sum(statuses.values()):>4} requests {dict(sorted(statuses.items()))} "
                      f"{time.monotonic() - t0:.1f}s", flush=True)
                for why in report.get((op["operationId"], kind, "refusals"), [])[:6]:
                    print(f"       refused: {why[:150]}", flush=True)
                if failure:
                    failures.append(failure)
                if not server.alive():
                    failures.append("the server died:\n" + server.log())
                    break
            if not server.alive():
                break
    except ServerError as err:
        sys.stderr.write(f"api_property_test: {err}\n")
        return 2
    finally:
        code = server.stop() if server else None
        shutil.rmtree(work, ignore_errors=True)
    if code not in (0, None):
        failures.append(f"the server exited with {code} on SIGTERM")
    for f in failures:
        print("\n" + f)
    count = sum(1 for k in report if len(k) == 2)
    print(f"\n{count} properties, {len(failures)} failed, {time.monotonic() - started:.0f}s; "
          f"failing examples in {args.failures}" if failures else
          f"\n{count} properties hold ({time.monotonic() - started:.0f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
