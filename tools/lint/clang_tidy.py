#!/usr/bin/env python3
"""Runs clang-tidy (the checks of .clang-tidy) over the project's sources.

  tools/lint/clang_tidy.py -p BUILD [-j N] [--tests] [--no-cache] [FILE...]

BUILD is a configured and built build directory: its compile_commands.json
gives the flags, and the build has written the generated sources and headers
the files include. By default the translation units of the module libraries,
the server, the tools and the benchmarks are checked (not tests/: they are
many, slow to parse and test code); --tests adds the tests; FILEs (paths
under the repository) choose the units instead.

A unit that passed is remembered in BUILD/clang-tidy-cache under a key made
of clang-tidy's version, .clang-tidy, the unit's compile command and the
contents of the unit and of every header it includes (from ninja's deps
log), so a rerun checks only what changed. Prints every finding and exits 1
when there is any.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLANG_TIDY = "clang-tidy-14"
# The compile commands are g++'s: clang does not know some of its warning flags.
EXTRA_ARGS = ["--extra-arg=-Wno-unknown-warning-option"]


def ninja_deps(build):
    """Object file (relative to BUILD) -> the files it depends on, from ninja's deps log."""
    try:
        out = subprocess.run(["ninja", "-C", build, "-t", "deps"], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    deps, current = {}, None
    for line in out.splitlines():
        if not line.strip():
            current = None
        elif not line.startswith(" "):
            current = line.split(":", 1)[0]
            deps[current] = []
        elif current is not None:
            deps[current].append(line.strip())
    return deps


class Hasher:
    def __init__(self):
        self.memo = {}

    def file(self, path):
        if path not in self.memo:
            try:
                with open(path, "rb") as f:
                    self.memo[path] = hashlib.sha256(f.read()).hexdigest()
            except OSError:
                self.memo[path] = "missing"
        return self.memo[path]


def object_of(entry):
    args = entry.get("arguments") or shlex.split(entry["command"])
    if "-o" in args:
        return args[args.index("-o") + 1]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-p", dest="build", required=True, help="build directory")
    parser.add_argument("-j", dest="jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--tests", action="store_true", help="also check tests/")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    build = os.path.abspath(args.build)

    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = json.load(f)
    wanted = {os.path.abspath(p) for p in args.files}
    units = []
    for e in entries:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if not path.startswith(ROOT + "/") or path.startswith(build + "/"):
            continue  # generated sources (embedded files) are not ours to lint
        rel = os.path.relpath(path, ROOT)
        if wanted:
            if path not in wanted:
                continue
        elif rel.startswith("tests/") and not args.tests:
            continue
        units.append((path, e))
    if not units:
        sys.exit("clang-tidy: no translation unit selected")

    version = subprocess.run([CLANG_TIDY, "--version"], capture_output=True, text=True,
                             check=True).stdout
    with open(os.path.join(ROOT, ".clang-tidy"), "rb") as f:
        config = f.read()
    cache_dir = os.path.join(build, "clang-tidy-cache")
    deps = {} if args.no_cache else ninja_deps(build)
    hasher = Hasher()

    def key_of(path, entry):
        obj = object_of(entry)
        if args.no_cache or obj is None or obj not in deps:
            return None  # not built yet: nothing tells which headers it reads
        h = hashlib.sha256()
        h.update(version.encode())
        h.update(config)
        h.update(json.dumps(entry, sort_keys=True).encode())
        h.update(" ".join(EXTRA_ARGS).encode())
        h.update(hasher.file(path).encode())
        for dep in deps[obj]:
            dep_path = os.path.normpath(os.path.join(build, dep))
            h.update(dep_path.encode())
            h.update(hasher.file(dep_path).encode())
        return h.hexdigest()

    todo, cached = [], 0
    for path, entry in units:
        key = key_of(path, entry)
        if key and os.path.exists(os.path.join(cache_dir, key)):
            cached += 1
        else:
            todo.append((path, key))

    def run(item):
        path, key = item
        t0 = time.monotonic()
        p = subprocess.run([CLANG_TIDY, "-p", build, "--quiet", *EXTRA_ARGS, path],
                           capture_output=True, text=True, cwd=ROOT)
        output = p.stdout.strip()
        # clang-tidy prints "N warnings generated." to stderr; keep real errors.
        errors = [l for l in p.stderr.splitlines()
                  if l.strip() and not l.rstrip().endswith("generated.")]
        ok = p.returncode == 0 and not output
        if ok and key:
            os.makedirs(cache_dir, exist_ok=True)
            open(os.path.join(cache_dir, key), "w").close()
        return path, ok, output, errors, time.monotonic() - t0

    t0 = time.monotonic()
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run, item) for item in todo]
        for future in concurrent.futures.as_completed(futures):
            path, ok, output, errors, secs = future.result()
            rel = os.path.relpath(path, ROOT)
            if not ok:
                failed.append(rel)
                print(f"== {rel} ({secs:.1f} s)")
                if output:
                    print(output)
                for line in errors:
                    print(line)
                sys.stdout.flush()
    print(f"clang-tidy: {len(units)} units, {cached} unchanged since they passed, "
          f"{len(todo)} checked in {time.monotonic() - t0:.0f} s with -j{args.jobs}; "
          f"{len(failed)} with findings", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
