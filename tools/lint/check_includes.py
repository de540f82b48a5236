#!/usr/bin/env python3
"""Checks that every project #include names a header the including file's
target may use:
  - in a module library (a library outside tests/): a header of the same
    target or of a target it links directly, so that each module's
    target_link_libraries lists every module it uses;
  - elsewhere (executables, test libraries): also the headers of targets whose
    usage requirements reach it (the PUBLIC/INTERFACE dependencies of its
    direct dependencies, transitively), as CMake propagates them.

Every target compiles with the one include root (the repository), so the
compiler alone would accept any header; this check makes the link edges, and
with them the architecture of the top-level CMakeLists.txt, binding.

  tools/lint/check_includes.py build/ikv_targets.json

ikv_targets.json is written at configure time by cmake/target_graph.cmake.
Owner of a header: the targets that compile the .cc of the same name beside it;
otherwise the libraries defined in the header's directory, or in the nearest
parent directory that defines a target (a header-only helper beside
executables belongs to no target and may be included freely). Exit status 1 lists every
offending include.
"""
import json
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SOURCE_EXT = (".cc", ".cpp", ".h", ".hpp")
LIBRARY_TYPES = ("STATIC_LIBRARY", "SHARED_LIBRARY", "INTERFACE_LIBRARY", "OBJECT_LIBRARY")


def link_names(items, targets):
    """The project targets among link items ($<LINK_ONLY:x> counts as x)."""
    names = []
    for item in items:
        m = re.fullmatch(r"\$<LINK_ONLY:(.+)>", item)
        name = m.group(1) if m else item
        if name in targets:
            names.append(name)
    return names


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    graph = json.load(open(argv[1]))
    root = graph["source_dir"]
    targets = graph["targets"]

    # Usage requirements a target exports to its dependents.
    exported = {}

    def exports(name, seen=()):
        if name not in exported:
            if name in seen:
                return {name}
            out = {name}
            # A static library's private dependencies appear as $<LINK_ONLY:x>:
            # linked, but their usage requirements do not propagate.
            public = [i for i in targets[name]["interface_links"] if not i.startswith("$<LINK_ONLY:")]
            for dep in link_names(public, targets):
                out |= exports(dep, seen + (name,))
            exported[name] = out
        return exported[name]

    def is_module_library(name):
        t = targets[name]
        return (t["type"] in LIBRARY_TYPES
                and not (t["dir"] + "/").startswith(os.path.join(root, "tests") + "/"))

    def visible(name):
        out = {name}
        t = targets[name]
        for dep in link_names(t["links"] + t["interface_links"], targets):
            out |= {dep} if is_module_library(name) else exports(dep)
        return out

    compiled_by = {}  # absolute source path -> targets
    defined_in = {}   # directory -> targets
    for name, t in targets.items():
        defined_in.setdefault(t["dir"], []).append(name)
        for s in t["sources"]:
            compiled_by.setdefault(s, []).append(name)

    def owners(path):
        stem, _ = os.path.splitext(path)
        for ext in (".cc", ".cpp"):
            if stem + ext in compiled_by:
                return compiled_by[stem + ext]
        if path in compiled_by:
            return compiled_by[path]
        # A header of its own: the library of its directory (or the nearest
        # parent's). Header-only helpers beside executables (tests, benchmarks)
        # belong to no target.
        d = os.path.dirname(path)
        while d.startswith(root):
            names = defined_in.get(d)
            if names:
                return [n for n in names if targets[n]["type"] in LIBRARY_TYPES]
            d = os.path.dirname(d)
        return []

    problems = []
    checked = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames
                       if not d.startswith((".", "build")) and d != "node_modules"]
        for f in filenames:
            if not f.endswith(SOURCE_EXT):
                continue
            path = os.path.join(dirpath, f)
            includers = owners(path)
            if not includers:
                continue
            text = open(path, encoding="utf-8", errors="replace").read()
            for inc in INCLUDE.findall(text):
                header = os.path.join(root, inc)
                if not os.path.exists(header):
                    continue  # relative to the file, a system header or generated
                checked += 1
                allowed = set(owners(header))
                if not allowed:
                    continue
                # Fine if one of the file's targets may use one of its owners.
                if not any(allowed & visible(t) for t in includers):
                    problems.append(f"{os.path.relpath(path, root)}: #include \"{inc}\" "
                                    f"(of {', '.join(sorted(allowed))}) but "
                                    f"{', '.join(sorted(includers))} links none of them")
    for p in problems:
        print(p)
    print(f"check_includes: {checked} includes checked, {len(problems)} not covered by a link",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
