#!/usr/bin/env python3
"""Compares the server's route table with the operations of the OpenAPI document.

Runs `ikv-server --print-routes` and `tests/docs/list_operations.py` (both print
`METHOD /path operationId` lines) and fails when the two sets differ, printing
what only one side has.

Usage: compare_operations.py --server PATH/TO/ikv-server [--spec docs/openapi.yaml]
Exit status: 0 the same set; 1 they differ; 2 a tool failed.
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
LIST_OPERATIONS = os.path.join(ROOT, "tests", "docs", "list_operations.py")


def run_lines(argv):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}):\n"
                           + proc.stderr.decode(errors="replace"))
    return {line.strip() for line in proc.stdout.decode("utf-8").splitlines() if line.strip()}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="the ikv-server binary")
    parser.add_argument("--spec", default=os.path.join(ROOT, "docs", "openapi.yaml"))
    args = parser.parse_args(argv)
    try:
        served = run_lines([args.server, "--print-routes"])
        documented = run_lines([sys.executable, LIST_OPERATIONS, "--parser", "minimal", args.spec])
    except (OSError, RuntimeError) as err:
        sys.stderr.write(f"compare_operations: {err}\n")
        return 2
    only_server = sorted(served - documented)
    only_doc = sorted(documented - served)
    for line in only_server:
        print(f"served but not documented: {line}")
    for line in only_doc:
        print(f"documented but not served: {line}")
    print(f"{len(served & documented)} operations match, {len(only_server)} only served, "
          f"{len(only_doc)} only documented")
    return 1 if only_server or only_doc else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
